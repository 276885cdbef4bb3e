//! Recursive-descent parser for the program language: a plain expression (`y * x**2`) or a small Python function
//! (`def f(x, n=4): …` with assignments, `for … in range(…)` and `return`).
//!
//! It never panics: every problem becomes an [`Error`] with the span of the offending token. The syntax tree's depth
//! is bounded — brackets, blocks and operators in a row (`x + x + … + x` is a tree as deep as it is long) — so no
//! input can overflow the stack of the parser or of any later pass that walks the tree.

use super::lexer::{tokenize, Tok, Token};
use super::syntax::*;
use crate::base::source::{Error, Result, Span};

/// Deepest expression/statement nesting accepted.
pub const MAX_NESTING: usize = 120;
/// Deepest syntax tree accepted: nesting plus operators in a row (each makes the tree one level deeper).
pub const MAX_TREE_DEPTH: usize = 1000;

thread_local! {
    static PARSES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many programs this thread has parsed: a test reads it to check that an edit parses its text once.
pub fn parse_count() -> u64 {
    PARSES.with(|p| p.get())
}

pub fn parse(src: &str) -> Result<Program> {
    PARSES.with(|p| p.set(p.get() + 1));
    let tokens = tokenize(src)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        tree_depth: 0,
        open: Vec::new(),
    };
    p.program().map_err(|e| p.explain_unclosed(e, src))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// Depth of the tree being built: `depth` plus the operators in a row on the way down.
    tree_depth: usize,
    /// Brackets opened and not yet closed, innermost last.
    open: Vec<(Span, &'static str)>,
}

const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "if", "elif", "else", "while", "lambda", "class", "try", "except", "with", "yield", "and",
    "or", "not", "global", "nonlocal", "del", "assert", "raise", "break", "continue", "async",
    "await", "is",
];

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Name(n) => format!("`{n}`"),
        Tok::Int(i) => format!("`{i}`"),
        Tok::Float(x) => format!("`{}`", crate::base::num::fmt_full(*x)),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::Newline => "the end of the line".into(),
        Tok::Indent => "an indented line".into(),
        Tok::Dedent => "the end of the block".into(),
        Tok::Eof => "the end of the program".into(),
    }
}

impl Parser {
    /// An error found on a later line than an unclosed bracket is almost always that bracket's fault (inside
    /// brackets, line breaks do not end a statement): point at the bracket instead.
    fn explain_unclosed(&self, e: Error, src: &str) -> Error {
        let Some(&(open, sym)) = self.open.last() else {
            return e;
        };
        let at = e.span.line_col(src);
        if at.line <= open.line_col(src).line {
            return e;
        }
        Error::new(
            open,
            format!(
                "this `{sym}` is never closed ({}, on line {})",
                e.message, at.line
            ),
        )
    }

    fn open_bracket(&mut self, sym: &'static str) -> Span {
        let span = self.bump().span;
        self.open.push((span, sym));
        span
    }

    fn close_bracket(&mut self, sym: &str) -> Result<Span> {
        let span = self.expect_sym(sym)?;
        self.open.pop();
        Ok(span)
    }

    fn peek(&self) -> &Tok {
        &self.tokens[self.pos.min(self.tokens.len() - 1)].tok
    }

    fn peek_at(&self, k: usize) -> &Tok {
        &self.tokens[(self.pos + k).min(self.tokens.len() - 1)].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos.min(self.tokens.len() - 1)].span
    }

    fn prev_span(&self) -> Span {
        self.tokens[self.pos.saturating_sub(1)].span
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens[self.pos.min(self.tokens.len() - 1)].clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn at_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(t) if *t == s)
    }

    fn at_name(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Name(t) if t == s)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if self.at_sym(s) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn unexpected(&self, wanted: &str) -> Error {
        Error::new(
            self.span(),
            format!("expected {wanted}, found {}", describe(self.peek())),
        )
    }

    fn expect_sym(&mut self, s: &str) -> Result<Span> {
        if self.at_sym(s) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(&format!("`{s}`")))
        }
    }

    fn expect_name(&mut self, what: &str) -> Result<Target> {
        match self.peek().clone() {
            Tok::Name(name) if !is_keyword(&name) => {
                let span = self.bump().span;
                Ok(Target { name, span })
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        self.tree_depth += 1;
        if self.depth > MAX_NESTING {
            Err(Error::new(
                self.span(),
                format!("the program is nested more than {MAX_NESTING} levels deep"),
            ))
        } else if self.tree_depth > MAX_TREE_DEPTH {
            Err(self.too_long())
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
        self.tree_depth -= 1;
    }

    /// One more operator in a row (`… + x`): the tree gets one level deeper.
    fn deepen(&mut self) -> Result<()> {
        self.tree_depth += 1;
        if self.tree_depth > MAX_TREE_DEPTH {
            Err(self.too_long())
        } else {
            Ok(())
        }
    }

    fn too_long(&self) -> Error {
        Error::new(
            self.span(),
            format!(
                "this expression has more than {} operations in a row, the most AD Lab reads in one expression; \
                 split it over several lines (for example `s = s + …` in a loop)",
                crate::base::num::fmt_count(MAX_TREE_DEPTH as u64)
            ),
        )
    }

    // ----- program and statements -----

    fn program(&mut self) -> Result<Program> {
        let mut script = Vec::new();
        let mut def: Option<Program> = None;
        while *self.peek() != Tok::Eof {
            if matches!(self.peek(), Tok::Indent) {
                return Err(Error::new(self.span(), "unexpected indentation"));
            }
            if self.skip_import()? {
                continue;
            }
            if self.at_name("def") {
                if let Some(Program::Def { name, .. }) = &def {
                    return Err(Error::new(
                        self.span(),
                        format!("only one function per program: `{name}` is already defined above"),
                    ));
                }
                let mut d = self.def()?;
                if let Program::Def { before, .. } = &mut d {
                    *before = std::mem::take(&mut script);
                }
                def = Some(d);
                continue;
            }
            match &mut def {
                Some(Program::Def { after, .. }) => self.simple_or_compound(after)?,
                _ => self.simple_or_compound(&mut script)?,
            }
        }
        match def {
            Some(d) => Ok(d),
            None if script.is_empty() => Err(Error::new(
                self.span(),
                "the program is empty: type an expression such as `y * x**2`",
            )),
            None => Ok(Program::Script(script)),
        }
    }

    /// `import numpy as np` and `from autograd import grad` are accepted and ignored, so lecture code pastes as is.
    fn skip_import(&mut self) -> Result<bool> {
        if !(self.at_name("import") || self.at_name("from")) {
            return Ok(false);
        }
        while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
            self.bump();
        }
        self.eat_newline()?;
        Ok(true)
    }

    fn def(&mut self) -> Result<Program> {
        let start = self.bump().span; // `def`
        let name = self.expect_name("the function's name")?.name;
        self.expect_sym("(")?;
        let mut params: Vec<Param> = Vec::new();
        while !self.at_sym(")") {
            let p = self.expect_name("a parameter name")?;
            if params.iter().any(|q| q.name == p.name) {
                return Err(Error::new(
                    p.span,
                    format!("parameter `{}` appears twice", p.name),
                ));
            }
            if self.eat_sym(":") {
                // A type annotation such as `x: float`; read and ignore it.
                self.expr()?;
            }
            let default = if self.eat_sym("=") {
                Some(self.expr()?)
            } else {
                None
            };
            let span = default.as_ref().map_or(p.span, |d| p.span.to(d.span));
            params.push(Param {
                name: p.name,
                default,
                span,
            });
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(")")?;
        if self.eat_sym("->") {
            self.expr()?;
        }
        self.expect_sym(":")?;
        let body = self.block()?;
        let span = start.to(self.prev_span());
        Ok(Program::Def {
            name,
            params,
            body,
            span,
            after: Vec::new(),
            before: Vec::new(),
        })
    }

    /// After a `:`: either statements on the same line or an indented block.
    fn block(&mut self) -> Result<Vec<Stmt>> {
        let mut body = Vec::new();
        if *self.peek() != Tok::Newline {
            self.simple_line(&mut body)?;
            return Ok(body);
        }
        self.bump();
        if *self.peek() != Tok::Indent {
            return Err(self.unexpected("an indented block"));
        }
        self.bump();
        self.enter()?;
        while !matches!(self.peek(), Tok::Dedent | Tok::Eof) {
            if *self.peek() == Tok::Indent {
                return Err(Error::new(self.span(), "unexpected indentation"));
            }
            if self.skip_import()? {
                continue;
            }
            if self.at_name("def") {
                return Err(Error::new(
                    self.span(),
                    "functions inside functions are not supported",
                ));
            }
            self.simple_or_compound(&mut body)?;
        }
        self.leave();
        if *self.peek() == Tok::Dedent {
            self.bump();
        }
        Ok(body)
    }

    fn simple_or_compound(&mut self, out: &mut Vec<Stmt>) -> Result<()> {
        if self.at_name("for") {
            let stmt = self.for_stmt()?;
            out.push(stmt);
            Ok(())
        } else {
            self.simple_line(out)
        }
    }

    fn for_stmt(&mut self) -> Result<Stmt> {
        let start = self.bump().span; // `for`
        let var = self.expect_name("a loop variable")?;
        if self.at_sym(",") {
            return Err(Error::new(
                self.span(),
                "a `for` loop takes a single loop variable here",
            ));
        }
        if !self.at_name("in") {
            return Err(self.unexpected("`in`"));
        }
        self.bump();
        let iter = self.expr()?;
        self.expect_sym(":")?;
        let body = self.block()?;
        Ok(Stmt {
            kind: StmtKind::For { var, iter, body },
            span: start.to(self.prev_span()),
        })
    }

    /// One or more `;`-separated simple statements, then the end of the line.
    fn simple_line(&mut self, out: &mut Vec<Stmt>) -> Result<()> {
        loop {
            out.push(self.simple_stmt()?);
            if !self.eat_sym(";") || matches!(self.peek(), Tok::Newline | Tok::Eof) {
                break;
            }
        }
        self.eat_newline()
    }

    fn eat_newline(&mut self) -> Result<()> {
        match self.peek() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::Eof | Tok::Dedent => Ok(()),
            Tok::Sym("=") => Err(Error::new(
                self.span(),
                "only a name (or names separated by commas) can be assigned to",
            )),
            _ => Err(self.unexpected("an operator or the end of the line")),
        }
    }

    fn simple_stmt(&mut self) -> Result<Stmt> {
        let start = self.span();
        if let Tok::Name(n) = self.peek() {
            if n == "return" {
                self.bump();
                if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Dedent) || self.at_sym(";")
                {
                    return Err(Error::new(start, "`return` needs a value, e.g. `return v`"));
                }
                let value = self.tuple_expr()?;
                return Ok(Stmt {
                    span: start.to(value.span),
                    kind: StmtKind::Return(value),
                });
            }
            if n == "pass" {
                self.bump();
                return Ok(Stmt {
                    kind: StmtKind::Pass,
                    span: start,
                });
            }
            if n == "for" || n == "def" {
                return Err(Error::new(start, format!("`{n}` must start its own line")));
            }
        }
        let lhs = self.tuple_expr()?;
        if self.at_sym("=") {
            let targets = assignment_targets(&lhs)?;
            self.bump();
            if self.at_sym("=") {
                return Err(Error::new(self.span(), "expected a value after `=`"));
            }
            let value = self.tuple_expr()?;
            if self.at_sym("=") {
                return Err(Error::new(
                    self.span(),
                    "chained assignment (`a = b = …`) is not supported",
                ));
            }
            return Ok(Stmt {
                span: start.to(value.span),
                kind: StmtKind::Assign(targets, value),
            });
        }
        let aug = match self.peek() {
            Tok::Sym("+=") => Some(BinOp::Add),
            Tok::Sym("-=") => Some(BinOp::Sub),
            Tok::Sym("*=") => Some(BinOp::Mul),
            Tok::Sym("/=") => Some(BinOp::Div),
            Tok::Sym("**=") => Some(BinOp::Pow),
            Tok::Sym("//=") => Some(BinOp::FloorDiv),
            Tok::Sym("%=") => Some(BinOp::Mod),
            _ => None,
        };
        if let Some(op) = aug {
            let ExprKind::Name(name) = &lhs.kind else {
                return Err(Error::new(lhs.span, "only a name can be updated in place"));
            };
            let target = Target {
                name: name.clone(),
                span: lhs.span,
            };
            self.bump();
            let value = self.tuple_expr()?;
            return Ok(Stmt {
                span: start.to(value.span),
                kind: StmtKind::AugAssign(target, op, value),
            });
        }
        Ok(Stmt {
            span: lhs.span,
            kind: StmtKind::Expr(lhs),
        })
    }

    // ----- expressions -----

    /// `a` or `a, b, …` (a tuple).
    fn tuple_expr(&mut self) -> Result<Expr> {
        let first = self.expr()?;
        if !self.at_sym(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_sym(",") {
            if self.starts_expr() {
                items.push(self.expr()?);
            } else {
                break;
            }
        }
        let span = items[0].span.to(self.prev_span());
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span,
        })
    }

    fn starts_expr(&self) -> bool {
        match self.peek() {
            Tok::Name(n) => !is_keyword(n) || n == "lambda",
            Tok::Int(_) | Tok::Float(_) => true,
            Tok::Sym(s) => matches!(*s, "(" | "[" | "-" | "+"),
            _ => false,
        }
    }

    pub fn expr(&mut self) -> Result<Expr> {
        self.enter()?;
        let e = self.arith();
        self.leave();
        let e = e?;
        let op = match self.peek() {
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            Tok::Sym("==") => BinOp::Eq,
            Tok::Sym("!=") => BinOp::Ne,
            _ => return Ok(e),
        };
        self.bump();
        self.enter()?;
        let rhs = self.arith();
        self.leave();
        let rhs = rhs?;
        if let Tok::Sym("<" | "<=" | ">" | ">=" | "==" | "!=") = self.peek() {
            return Err(Error::new(
                self.span(),
                "chained comparisons (`a < b < c`) are not supported",
            ));
        }
        Ok(binary(op, e, rhs))
    }

    fn arith(&mut self) -> Result<Expr> {
        let before = self.tree_depth;
        let e = self.arith_chain();
        self.tree_depth = before;
        e
    }

    fn arith_chain(&mut self) -> Result<Expr> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.deepen()?;
            self.bump();
            let rhs = self.term()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn term(&mut self) -> Result<Expr> {
        let before = self.tree_depth;
        let e = self.term_chain();
        self.tree_depth = before;
        e
    }

    fn term_chain(&mut self) -> Result<Expr> {
        let mut lhs = self.factor()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => BinOp::Mul,
                Tok::Sym("/") => BinOp::Div,
                Tok::Sym("//") => BinOp::FloorDiv,
                Tok::Sym("%") => BinOp::Mod,
                Tok::Sym("@") => BinOp::MatMul,
                _ => return Ok(lhs),
            };
            self.deepen()?;
            self.bump();
            let rhs = self.factor()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn factor(&mut self) -> Result<Expr> {
        let op = match self.peek() {
            Tok::Sym("-") => UnOp::Neg,
            Tok::Sym("+") => UnOp::Pos,
            _ => return self.power(),
        };
        let start = self.bump().span;
        self.enter()?;
        let operand = self.factor();
        self.leave();
        let operand = operand?;
        Ok(Expr {
            span: start.to(operand.span),
            kind: ExprKind::Unary(op, Box::new(operand)),
        })
    }

    fn power(&mut self) -> Result<Expr> {
        let base = self.primary()?;
        if self.at_sym("^") {
            return Err(Error::new(
                self.span(),
                "`^` is Python's bitwise XOR, not a power: write `**` (x**2)",
            ));
        }
        if self.at_sym("**") {
            self.bump();
            self.enter()?;
            let exponent = self.factor();
            self.leave();
            return Ok(binary(BinOp::Pow, base, exponent?));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr> {
        let before = self.tree_depth;
        let e = self.primary_chain();
        self.tree_depth = before;
        e
    }

    /// An atom and its suffixes (`f(…)`, `.name`, `[…]`): each suffix is one level deeper in the tree.
    fn primary_chain(&mut self) -> Result<Expr> {
        let mut e = self.atom()?;
        loop {
            if self.at_sym("(") || self.at_sym(".") || self.at_sym("[") {
                self.deepen()?;
            }
            if self.at_sym("(") {
                self.open_bracket("(");
                let mut args: Vec<Expr> = Vec::new();
                while !self.at_sym(")") {
                    let arg = if matches!(self.peek(), Tok::Name(_))
                        && matches!(self.peek_at(1), Tok::Sym("="))
                    {
                        let k = self.expect_name("a parameter name")?;
                        self.bump();
                        let v = self.expr()?;
                        Expr {
                            span: k.span.to(v.span),
                            kind: ExprKind::Keyword(k.name, Box::new(v)),
                        }
                    } else if args
                        .last()
                        .is_some_and(|a| matches!(a.kind, ExprKind::Keyword(..)))
                    {
                        return Err(Error::new(
                            self.span(),
                            "an argument without a name cannot follow one given by name",
                        ));
                    } else {
                        self.expr()?
                    };
                    args.push(arg);
                    if !self.eat_sym(",") {
                        break;
                    }
                }
                let close = self.close_bracket(")")?;
                e = Expr {
                    span: e.span.to(close),
                    kind: ExprKind::Call(Box::new(e), args),
                };
            } else if self.at_sym(".") {
                self.bump();
                let attr = self.expect_name("a name after `.`")?;
                e = Expr {
                    span: e.span.to(attr.span),
                    kind: ExprKind::Attr(Box::new(e), attr.name),
                };
            } else if self.at_sym("[") {
                self.open_bracket("[");
                e = self.subscript(e)?;
            } else {
                return Ok(e);
            }
        }
    }

    fn subscript(&mut self, value: Expr) -> Result<Expr> {
        let mut items: Vec<Expr> = Vec::new();
        loop {
            items.push(self.subscript_item()?);
            if !self.eat_sym(",") || self.at_sym("]") {
                break;
            }
        }
        let close = self.close_bracket("]")?;
        let span = value.span.to(close);
        let kind = match (items.len(), items.pop()) {
            (
                1,
                Some(Expr {
                    kind: ExprKind::Range(parts),
                    ..
                }),
            ) => ExprKind::Slice(Box::new(value), parts),
            (1, Some(index)) => ExprKind::Index(Box::new(value), Box::new(index)),
            (_, last) => {
                items.extend(last);
                let at = items[0].span.to(items[items.len() - 1].span);
                ExprKind::Index(
                    Box::new(value),
                    Box::new(Expr {
                        span: at,
                        kind: ExprKind::Tuple(items),
                    }),
                )
            }
        };
        Ok(Expr { span, kind })
    }

    /// One item of a subscript: an index, or `start:stop:step` with each part optional.
    fn subscript_item(&mut self) -> Result<Expr> {
        let start = self.span();
        let mut parts: [Option<Box<Expr>>; 3] = [None, None, None];
        let mut colons = 0;
        loop {
            if self.at_sym(":") {
                colons += 1;
                if colons > 2 {
                    return Err(self.unexpected("`]`"));
                }
                self.bump();
                continue;
            }
            if self.at_sym("]") || self.at_sym(",") {
                break;
            }
            if parts[colons].is_some() {
                return Err(self.unexpected("`:` or `]`"));
            }
            parts[colons] = Some(Box::new(self.expr()?));
        }
        if colons == 0 {
            return match parts[0].take() {
                Some(index) => Ok(*index),
                None => Err(Error::new(self.span(), "expected an index inside `[ ]`")),
            };
        }
        Ok(Expr {
            span: start.to(self.prev_span()),
            kind: ExprKind::Range(parts),
        })
    }

    fn atom(&mut self) -> Result<Expr> {
        let span = self.span();
        match self.peek().clone() {
            Tok::Int(i) => {
                self.bump();
                Ok(Expr {
                    kind: ExprKind::Int(i),
                    span,
                })
            }
            Tok::Float(x) => {
                self.bump();
                Ok(Expr {
                    kind: ExprKind::Float(x),
                    span,
                })
            }
            Tok::Name(name) => {
                if UNSUPPORTED_KEYWORDS.contains(&name.as_str()) {
                    return Err(Error::new(
                        span,
                        format!("`{name}` is not supported: programs here are arithmetic with `for` loops"),
                    ));
                }
                // Python's booleans are the integers 1 and 0.
                if name == "True" || name == "False" {
                    self.bump();
                    return Ok(Expr {
                        kind: ExprKind::Int(i64::from(name == "True")),
                        span,
                    });
                }
                if is_keyword(&name) {
                    return Err(self.unexpected("an expression"));
                }
                self.bump();
                Ok(Expr {
                    kind: ExprKind::Name(name),
                    span,
                })
            }
            Tok::Sym("(") => {
                self.open_bracket("(");
                if self.at_sym(")") {
                    let close = self.close_bracket(")")?;
                    return Ok(Expr {
                        kind: ExprKind::Tuple(Vec::new()),
                        span: span.to(close),
                    });
                }
                let inner = self.tuple_expr()?;
                let close = self.close_bracket(")")?;
                Ok(Expr {
                    span: span.to(close),
                    ..inner
                })
            }
            Tok::Sym("[") => {
                self.open_bracket("[");
                let mut items = Vec::new();
                while !self.at_sym("]") {
                    items.push(self.expr()?);
                    if !self.eat_sym(",") {
                        break;
                    }
                }
                let close = self.close_bracket("]")?;
                Ok(Expr {
                    kind: ExprKind::List(items),
                    span: span.to(close),
                })
            }
            _ => Err(self.unexpected("an expression")),
        }
    }
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        span: lhs.span.to(rhs.span),
        kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "def"
            | "for"
            | "in"
            | "return"
            | "pass"
            | "import"
            | "from"
            | "as"
            | "None"
            | "True"
            | "False"
    ) || UNSUPPORTED_KEYWORDS.contains(&name)
}

fn assignment_targets(lhs: &Expr) -> Result<Vec<Target>> {
    let one = |e: &Expr| {
        match &e.kind {
        ExprKind::Name(n) => Ok(Target { name: n.clone(), span: e.span }),
        ExprKind::Call(..) => Err(Error::new(
            e.span,
            "to define a function write `def f(x):` and `return …` on the next line, or type just the expression",
        )),
        ExprKind::Tuple(_) => Err(Error::new(
            e.span,
            "nested unpacking is not supported here: unpack in two steps, `a, t = …` then `b, c = t`",
        )),
        _ => Err(Error::new(e.span, "only a name (or names separated by commas) can be assigned to")),
    }
    };
    match &lhs.kind {
        ExprKind::Tuple(items) if !items.is_empty() => items.iter().map(one).collect(),
        _ => Ok(vec![one(lhs)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGISTIC: &str =
        "def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n";

    #[test]
    fn parses_the_lecture_function() {
        let Program::Def {
            name, params, body, ..
        } = parse(LOGISTIC).unwrap()
        else {
            panic!("not a def")
        };
        assert_eq!(name, "f");
        assert_eq!(params.len(), 2);
        assert_eq!(params[1].default.as_ref().unwrap().kind, ExprKind::Int(4));
        assert_eq!(body.len(), 3);
        assert!(matches!(body[1].kind, StmtKind::For { .. }));
    }

    #[test]
    fn power_binds_tighter_than_unary_minus_and_is_right_associative() {
        let Program::Script(s) = parse("-x**2**3").unwrap() else {
            panic!()
        };
        let StmtKind::Expr(e) = &s[0].kind else {
            panic!()
        };
        let ExprKind::Unary(UnOp::Neg, inner) = &e.kind else {
            panic!("{e:?}")
        };
        let ExprKind::Binary(BinOp::Pow, _, rhs) = &inner.kind else {
            panic!()
        };
        assert!(matches!(rhs.kind, ExprKind::Binary(BinOp::Pow, _, _)));
        assert!(parse("2**-1").is_ok());
        assert!(parse("y * x^2").unwrap_err().message.contains("XOR"));
    }

    /// Malformed programs and the position each error must point at (1-based line, column).
    #[test]
    fn malformed_programs_report_line_and_column() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("log(1 + ", 1, 9, "expected an expression"),
            ("x +* y", 1, 4, "expected an expression"),
            ("(x + y", 1, 7, "expected `)`"),
            ("x + y)", 1, 6, "expected an operator"),
            ("def f(x)\n  return x", 1, 9, "expected `:`"),
            ("def f(x):\nreturn x", 2, 1, "expected an indented block"),
            (
                "def f(x):\n  v = x\n    return v",
                3,
                5,
                "unexpected indentation",
            ),
            (
                "def f(x):\n    v = x\n  return v",
                3,
                3,
                "indentation does not match",
            ),
            ("def f(x, x):\n  return x", 1, 10, "appears twice"),
            (
                "def f(x):\n  for i range(3):\n    x = x\n  return x",
                2,
                9,
                "expected `in`",
            ),
            ("def f(x):\n  return", 2, 3, "`return` needs a value"),
            ("x < 1 < 2", 1, 7, "chained comparisons"),
            ("if x: 1", 1, 1, "`if` is not supported"),
            ("2x + 1", 1, 1, "is not a number"),
            ("x × y", 1, 3, "write `*`"),
            ("x + 'a'", 1, 5, "strings"),
            (
                "def f(x):\n  v = 4 * (1 - \n  return v",
                2,
                11,
                "this `(` is never closed",
            ),
            (
                "def f(x):\n  v = log(x\n  return v",
                2,
                10,
                "this `(` is never closed",
            ),
            ("", 1, 1, "empty"),
            ("f(x) = x**2", 1, 1, "to define a function"),
            ("x + 1 = y", 1, 1, "only a name"),
            ("99999999999999999999 * x", 1, 1, "too large"),
        ];
        for (src, line, column, msg) in cases {
            let err = parse(src).expect_err(src);
            let at = err.span.line_col(src);
            assert_eq!(
                (at.line, at.column),
                (*line, *column),
                "{src:?}: {}",
                err.message
            );
            assert!(
                err.message.contains(msg),
                "{src:?}: got {:?}, wanted {msg:?}",
                err.message
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let src = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&src).unwrap_err().message.contains("nested"));
        let src = format!("{}x", "-".repeat(5000));
        assert!(parse(&src).is_err());
        let src = format!("x{}", "**x".repeat(5000));
        assert!(parse(&src).is_err());
    }

    #[test]
    fn imports_and_one_line_functions_are_accepted() {
        assert!(
            parse("import numpy as np\nfrom autograd import grad\ndef f(x): return np.log(x)")
                .is_ok()
        );
        assert!(parse("a = x * 2; a + 1").is_ok());
        assert!(parse("memory = []\nmemory.append(x)\nfor v in memory[::-1]:\n  y = v\ny").is_ok());
    }
}
