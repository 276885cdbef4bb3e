//! The program's syntax tree, as the parser produces it and the lowering consumes it.

use crate::base::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Name(String),
    /// `value.attr`, e.g. `np.log` or `memory.append`.
    Attr(Box<Expr>, String),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    /// `value[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `value[start:stop:step]`, each part optional.
    Slice(Box<Expr>, [Option<Box<Expr>>; 3]),
    /// `start:stop:step` as one item of a subscript with several (`X[:, 1]`, `X[0:2, 1:3]`): only inside the tuple
    /// of an [`ExprKind::Index`].
    Range([Option<Box<Expr>>; 3]),
    /// `name=value`: an argument given by name; only in a call's arguments, after the positional ones.
    Keyword(String, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `**`, and `^` which the language reads as a power too.
    Pow,
    FloorDiv,
    Mod,
    /// `@`: the matrix product (array programs only).
    MatMul,
    /// `<`, `<=`, `>`, `>=`, `==`, `!=`: comparisons, for the condition of `np.where` (array programs only).
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl BinOp {
    /// The graph operation this operator builds; `None` for `//` and `%`, which are not differentiable.
    pub fn primitive(self) -> Option<crate::base::op::Binary> {
        use crate::base::op::Binary;
        match self {
            BinOp::Add => Some(Binary::Add),
            BinOp::Sub => Some(Binary::Sub),
            BinOp::Mul => Some(Binary::Mul),
            BinOp::Div => Some(Binary::Div),
            BinOp::Pow => Some(Binary::Pow),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "**",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::MatMul => "@",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
        }
    }

    /// A comparison (`<`, `==`, …).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `a = e` or `a, b = e1, e2`.
    Assign(Vec<Target>, Expr),
    /// `a += e` and friends.
    AugAssign(Target, BinOp, Expr),
    For {
        var: Target,
        iter: Expr,
        body: Vec<Stmt>,
    },
    Return(Expr),
    Expr(Expr),
    Pass,
    /// `# …`: never made by the parser (the lexer drops comments); generated programs explain themselves with it.
    Comment(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Program {
    /// `def f(x, n=4): …` — parameters without defaults (or with float defaults) are inputs.
    Def {
        name: String,
        params: Vec<Param>,
        body: Vec<Stmt>,
        span: Span,
        /// The lines after the function, as the lecture writes them (`g = grad(f)`, `print(g(0.25))`): not run, but
        /// read for the point they call the function at.
        after: Vec<Stmt>,
        /// Statements before the function (`X = np.array(…)`): the data a numpy program's function reads. Only the
        /// array tracer runs them; the scalar lowering refuses them.
        before: Vec<Stmt>,
    },
    /// Bare statements ending in an expression, e.g. `y * x**2`; free names are the inputs.
    Script(Vec<Stmt>),
}
