//! The lines after the function, as the lecture writes them: `g = grad(f)`, `print(g(0.25))`, `y = f(1.0)`,
//! `grad(f)(0.125, n=2)`, `approx_fprime(0.75, f, 1e-7)`. Nothing is run: the lines are read for the last call of
//! the function (or of a derivative of it), whose arguments are the point the page opens at: numbers, or for a numpy
//! program arrays too (`grad(f)(np.array([2.0, 3.0]))`, `x0 = np.ones(3)` then `g(x0)`), which the array tracer
//! computes.

use super::super::syntax::*;
use crate::base::source::{Error, Result, Span};

/// autograd's transformations of a function (`grad(f)` is again a function of the same arguments).
const TRANSFORMS: &[&str] = &[
    "grad",
    "value_and_grad",
    "jacobian",
    "hessian",
    "elementwise_grad",
    "egrad",
    "holomorphic_grad",
];

/// A number a call gives a parameter: its value, whether it is written as a whole number, and where.
pub(super) type Given = (f64, bool, Span);

/// What a call gives a parameter: a number, or an expression the array tracer computes (an array, a part of the data).
#[derive(Clone, Copy, Debug)]
pub(super) enum Arg<'a> {
    Number(Given),
    Array(&'a Expr),
}

/// An expression that makes an array: a list (`[2.0, 3.0]`), a numpy call (`np.array([…])`, `np.ones(3)`), or
/// arithmetic, a part or the transpose of one.
fn array_like(e: &Expr) -> bool {
    fn numpy(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(n) => matches!(n.as_str(), "np" | "numpy" | "anp" | "onp"),
            ExprKind::Attr(m, _) => numpy(m),
            _ => false,
        }
    }
    match &e.kind {
        ExprKind::List(_) => true,
        ExprKind::Call(callee, _) => numpy(callee),
        ExprKind::Binary(_, a, b) => array_like(a) || array_like(b),
        ExprKind::Unary(_, a)
        | ExprKind::Index(a, _)
        | ExprKind::Slice(a, _)
        | ExprKind::Attr(a, _) => array_like(a),
        _ => false,
    }
}

/// A number, or for a numpy program an array.
fn arg(e: &Expr) -> Result<Arg<'_>> {
    match number(e) {
        Ok(x) => Ok(Arg::Number(x)),
        Err(_) if array_like(e) => Ok(Arg::Array(e)),
        Err(why) => Err(why),
    }
}

/// `0.25`, `-1`, `5`: the point is given by numbers.
fn number(e: &Expr) -> Result<Given> {
    let (x, int) = match &e.kind {
        ExprKind::Int(i) => (*i as f64, true),
        ExprKind::Float(x) => (*x, false),
        ExprKind::Unary(op, a) => {
            let (x, int, _) = number(a)?;
            (if *op == UnOp::Neg { -x } else { x }, int)
        }
        _ => {
            return Err(Error::new(
                e.span,
                "AD Lab opens the page at a point given by numbers, such as `0.25`",
            ))
        }
    };
    Ok((x, int, e.span))
}

/// A call of the function: its arguments as written, the numbers named before it (`x = 0.25`), and its span.
struct Call<'a> {
    args: &'a [Expr],
    named: Vec<(&'a str, Arg<'a>)>,
    span: Span,
}

struct Reader<'a> {
    f: &'a str,
    functions: Vec<&'a str>,
    values: Vec<&'a str>,
    /// Names given a number (`x = 0.25`) or an array (`x = np.array([…])`), latest last.
    numbers: Vec<(&'a str, Arg<'a>)>,
    call: Option<Call<'a>>,
}

/// An argument's number or array: written out, or a name given one before the call.
fn argument<'a>(e: &'a Expr, named: &[(&str, Arg<'a>)]) -> Result<Arg<'a>> {
    match &e.kind {
        ExprKind::Name(n) => match named.iter().rev().find(|(k, _)| k == n) {
            Some(&(_, Arg::Number((x, int, _)))) => Ok(Arg::Number((x, int, e.span))),
            Some(&(_, a)) => Ok(a),
            None => Err(Error::new(
                e.span,
                format!("`{n}` is not defined: give the point as numbers, or name them first (`{n} = 0.25`)"),
            )),
        },
        _ => arg(e),
    }
}

/// What the last call in `after` of the function `f` gives each of its parameters, as numbers (the scalar lowering).
pub(super) fn point(f: &str, params: &[Param], after: &[Stmt]) -> Result<Vec<Option<Given>>> {
    point_args(f, params, after)?
        .into_iter()
        .map(|a| match a {
            None => Ok(None),
            Some(Arg::Number(x)) => Ok(Some(x)),
            Some(Arg::Array(e)) => number(e).map(Some),
        })
        .collect()
}

/// What the last call in `after` of the function `f` gives each of its parameters, matched as Python does
/// (positional arguments, then by name); all `None` when no line calls it.
pub(super) fn point_args<'a>(
    f: &'a str,
    params: &[Param],
    after: &'a [Stmt],
) -> Result<Vec<Option<Arg<'a>>>> {
    let mut given = vec![None; params.len()];
    let Some(c) = last_call(f, after)? else {
        return Ok(given);
    };
    for (i, a) in c.args.iter().enumerate() {
        let (slot, e) = match &a.kind {
            ExprKind::Keyword(k, e) => match params.iter().position(|p| p.name == *k) {
                Some(j) => (j, &**e),
                None => return Err(Error::new(a.span, format!("`{f}` has no parameter `{k}`"))),
            },
            _ if i < params.len() => (i, a),
            _ => {
                return Err(Error::new(
                    a.span,
                    format!(
                        "`{f}` takes {} argument(s), but more are given here",
                        params.len()
                    ),
                ))
            }
        };
        if given[slot].replace(argument(e, &c.named)?).is_some() {
            return Err(Error::new(
                a.span,
                format!("`{}` is given twice", params[slot].name),
            ));
        }
    }
    match params
        .iter()
        .zip(&given)
        .find(|(p, g)| p.default.is_none() && g.is_none())
    {
        Some((p, _)) => Err(Error::new(
            c.span,
            format!("this call gives `{}` no value", p.name),
        )),
        None => Ok(given),
    }
}

fn last_call<'a>(f: &'a str, after: &'a [Stmt]) -> Result<Option<Call<'a>>> {
    let mut r = Reader {
        f,
        functions: vec![f],
        values: Vec::new(),
        numbers: Vec::new(),
        call: None,
    };
    for s in after {
        match &s.kind {
            StmtKind::Assign(t, e) if t.len() == 1 => {
                let name = t[0].name.as_str();
                if let Ok(x) = arg(e) {
                    r.numbers.push((name, x));
                    r.values.push(name);
                } else if r.use_of(e)? {
                    r.functions.push(name);
                } else {
                    r.values.push(name);
                }
            }
            // `x, n = 0.25, 4`
            StmtKind::Assign(
                t,
                Expr {
                    kind: ExprKind::Tuple(items),
                    ..
                },
            ) if t.len() == items.len() => {
                for (t, e) in t.iter().zip(items) {
                    let x = arg(e)?;
                    r.numbers.push((&t.name, x));
                    r.values.push(&t.name);
                }
            }
            StmtKind::Expr(e) => {
                r.use_of(e)?;
            }
            StmtKind::Pass => {}
            _ => return Err(r.not_a_use(s.span)),
        }
    }
    Ok(r.call)
}

/// `module.name` → `name` for the modules autograd's helpers live in (`autograd.grad`, `scipy.optimize.approx_fprime`).
fn plain_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Attr(m, n)
            if plain_name(m).is_some_and(|m| matches!(m, "autograd" | "scipy" | "optimize")) =>
        {
            Some(n)
        }
        _ => None,
    }
}

impl<'a> Reader<'a> {
    fn not_a_use(&self, at: Span) -> Error {
        let f = self.f;
        Error::new(
            at,
            format!("after the function, AD Lab reads only lines that use `{f}`, such as `print(grad({f})(0.25))`"),
        )
    }

    /// Reads one use of the function; `Ok(true)` when it is a function (`f`, `g`, `grad(f)`), `Ok(false)` a value.
    fn use_of(&mut self, e: &'a Expr) -> Result<bool> {
        match &e.kind {
            ExprKind::Call(callee, args) => {
                let name = plain_name(callee).unwrap_or("");
                if name == "print" {
                    for a in args {
                        self.use_of(a)?;
                    }
                    return Ok(false);
                }
                if TRANSFORMS.contains(&name) || name == "approx_fprime" {
                    let fprime = name == "approx_fprime";
                    let x0 = args.first().filter(|_| fprime);
                    let of = args
                        .get(fprime as usize)
                        .ok_or_else(|| self.not_a_use(e.span))?;
                    if !self.use_of(of)? {
                        return Err(Error::new(
                            of.span,
                            format!("`{name}` takes the function itself, as in `{name}(f)`"),
                        ));
                    }
                    if x0.is_some() {
                        self.call = Some(Call {
                            args: &args[..1],
                            named: self.numbers.clone(),
                            span: e.span,
                        });
                    }
                    return Ok(!fprime);
                }
                if !self.use_of(callee)? {
                    return Err(Error::new(
                        callee.span,
                        "this is a number, not a function: it cannot be called",
                    ));
                }
                self.call = Some(Call {
                    args,
                    named: self.numbers.clone(),
                    span: e.span,
                });
                Ok(false)
            }
            // `value_and_grad(f)(x)[1]`, `g(0.25)[0]`: a part of the result.
            ExprKind::Index(v, _) if !self.use_of(v)? => Ok(false),
            ExprKind::Tuple(items) => {
                for i in items {
                    self.use_of(i)?;
                }
                Ok(false)
            }
            _ => match plain_name(e) {
                Some(n) if self.functions.contains(&n) => Ok(true),
                Some(n) if self.values.contains(&n) => Ok(false),
                Some(n) => Err(Error::new(
                    e.span,
                    format!(
                        "`{n}` is not defined here: {}",
                        self.not_a_use(e.span).message
                    ),
                )),
                None => Err(self.not_a_use(e.span)),
            },
        }
    }
}
