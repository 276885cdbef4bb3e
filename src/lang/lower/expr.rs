//! Expressions: numbers fold, operations on input-dependent values become graph nodes, calls and lists follow
//! Python.

use std::rc::Rc;

use super::ints::{
    float_divmod, index_of, int_op, range_item, range_len, slice, unreachable_range,
};
use super::value::Val;
use super::{Lowerer, BUILTINS, MODULES};
use crate::base::op::{Binary, Unary};
use crate::base::source::{Error, Result, Span};
use crate::lang::graph::{Arg, Op};
use crate::lang::syntax::*;

impl Lowerer<'_> {
    pub(super) fn lookup(&self, name: &str, span: Span) -> Result<Val> {
        if let Some(v) = self.env.get(name) {
            return Ok(v.clone());
        }
        if name == "pi" {
            return Ok(Val::Float(std::f64::consts::PI));
        }
        Err(unknown_name(name, span, self.is_def))
    }

    pub(super) fn expr(&mut self, e: &Expr) -> Result<Val> {
        match &e.kind {
            ExprKind::Int(i) => Ok(Val::Int(*i)),
            ExprKind::Float(x) => Ok(Val::Float(*x)),
            ExprKind::Name(n) => self.lookup(n, e.span),
            ExprKind::Range(_) => Err(Error::new(
                e.span,
                "a list takes one index or slice, not several",
            )),
            ExprKind::Attr(base, attr) => match &base.kind {
                ExprKind::Name(m) if MODULES.contains(&m.as_str()) => match attr.as_str() {
                    "pi" => Ok(Val::Float(std::f64::consts::PI)),
                    "e" => Ok(Val::Float(std::f64::consts::E)),
                    "inf" => Ok(Val::Float(f64::INFINITY)),
                    "nan" => Ok(Val::Float(f64::NAN)),
                    _ if Unary::from_name(attr).is_some() => Err(Error::new(
                        e.span,
                        format!("`{m}.{attr}` is a function: call it, e.g. `{m}.{attr}(x)`"),
                    )),
                    _ => Err(Error::new(e.span, format!("`{m}.{attr}` is not available"))),
                },
                _ => Err(Error::new(
                    e.span,
                    format!("`.{attr}` is not available here"),
                )),
            },
            ExprKind::Unary(op, a) => {
                let v = self.expr(a)?;
                match op {
                    UnOp::Pos => match v {
                        Val::Int(_) | Val::Float(_) | Val::Node(_) => Ok(v),
                        other => Err(Error::new(
                            e.span,
                            format!("cannot apply `+` to {}", other.kind()),
                        )),
                    },
                    UnOp::Neg => self.unary(Unary::Neg, v, e.span),
                }
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                self.binop(*op, a, b, e.span)
            }
            ExprKind::Call(callee, args) => self.call(callee, args, e.span),
            ExprKind::Keyword(k, _) => Err(Error::new(
                e.span,
                format!("`{k}=`: AD Lab's functions take their arguments in order, not by name"),
            )),
            ExprKind::Tuple(items) => Ok(Val::Tuple(Rc::new(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            ))),
            ExprKind::List(items) => Ok(Val::List(Rc::new(
                items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?,
            ))),
            ExprKind::Index(base, index) => {
                let items = self.sequence(base)?;
                let i = self.int(index, "an index")?;
                let n = items.len();
                match index_of(i, n) {
                    Some(k) => Ok(items[k].clone()),
                    None => Err(Error::new(
                        index.span,
                        format!("index {i} is out of range for a list of {n}"),
                    )),
                }
            }
            ExprKind::Slice(base, parts) => {
                let items = self.sequence(base)?;
                let mut p = [None, None, None];
                for (slot, part) in p.iter_mut().zip(parts) {
                    if let Some(x) = part {
                        *slot = Some(self.int(x, "a slice bound")?);
                    }
                }
                let step = p[2].unwrap_or(1);
                if step == 0 {
                    return Err(Error::new(e.span, "a slice step cannot be zero"));
                }
                Ok(Val::List(Rc::new(slice(&items, p[0], p[1], step))))
            }
        }
    }

    pub(super) fn sequence(&mut self, e: &Expr) -> Result<Rc<Vec<Val>>> {
        match self.expr(e)? {
            Val::List(v) | Val::Tuple(v) => Ok(v),
            Val::Range(a, b, s) => {
                let n = range_len(a, b, s);
                if n > self.limits.max_nodes as u64 {
                    return Err(Error::new(
                        e.span,
                        "this range is too long to make into a list",
                    ));
                }
                Ok(Rc::new(
                    (0..n).map(|k| Val::Int(range_item(a, s, k))).collect(),
                ))
            }
            other => Err(Error::new(
                e.span,
                format!("expected a list, found {}", other.kind()),
            )),
        }
    }

    pub(super) fn int(&mut self, e: &Expr, what: &str) -> Result<i64> {
        match self.expr(e)? {
            Val::Int(i) => Ok(i),
            Val::Node(_) => Err(Error::new(
                e.span,
                format!("{what} must be a whole number known before the run, but this depends on the inputs"),
            )),
            other => Err(Error::new(e.span, format!("{what} must be a whole number (an int), not {}", other.kind()))),
        }
    }

    fn call(&mut self, callee: &Expr, args: &[Expr], span: Span) -> Result<Val> {
        let (module, name) = match &callee.kind {
            ExprKind::Name(n) => (None, n.as_str()),
            ExprKind::Attr(base, attr) => match &base.kind {
                ExprKind::Name(m) if MODULES.contains(&m.as_str()) => {
                    (Some(m.as_str()), attr.as_str())
                }
                ExprKind::Name(list) if matches!(attr.as_str(), "append" | "pop") => {
                    return self.list_method(list, base.span, attr, args, span)
                }
                _ => {
                    return Err(Error::new(
                        callee.span,
                        "only functions such as `log` or `np.exp` can be called",
                    ))
                }
            },
            _ => {
                return Err(Error::new(
                    callee.span,
                    "only functions such as `log` or `np.exp` can be called",
                ))
            }
        };
        let arity = |n: usize| -> Result<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(Error::new(
                    span,
                    format!(
                        "`{name}` takes {n} argument{}, got {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                ))
            }
        };
        if let Some(op) = Unary::from_name(name) {
            arity(1)?;
            let v = self.expr(&args[0])?;
            return self.unary(op, v, span);
        }
        if module.is_none() {
            match name {
                "range" => {
                    if args.is_empty() || args.len() > 3 {
                        return Err(Error::new(span, "`range` takes 1 to 3 whole numbers"));
                    }
                    let mut v = Vec::new();
                    for a in args {
                        v.push(self.int(a, "an argument of `range`")?);
                    }
                    let (start, stop, step) = match v[..] {
                        [stop] => (0, stop, 1),
                        [start, stop] => (start, stop, 1),
                        [start, stop, step] => (start, stop, step),
                        _ => unreachable_range(),
                    };
                    if step == 0 {
                        return Err(Error::new(span, "the step of `range` cannot be zero"));
                    }
                    return Ok(Val::Range(start, stop, step));
                }
                "len" => {
                    arity(1)?;
                    return Ok(Val::Int(self.sequence(&args[0])?.len() as i64));
                }
                "reversed" => {
                    arity(1)?;
                    let v = self.sequence(&args[0])?;
                    return Ok(Val::List(Rc::new(v.iter().rev().cloned().collect())));
                }
                "list" => {
                    arity(1)?;
                    // A new list, as in Python: changing it leaves the original alone.
                    return Ok(Val::List(Rc::new(self.sequence(&args[0])?.to_vec())));
                }
                "max" | "min" => {
                    let op = if name == "max" {
                        Binary::Max
                    } else {
                        Binary::Min
                    };
                    // Python's `max(a, b, …)` or `max(list)`: the first of the largest, left to right.
                    let items = match args {
                        [] => {
                            return Err(Error::new(
                                span,
                                format!("`{name}` needs two or more numbers, or one list"),
                            ))
                        }
                        [one] => self.sequence(one)?,
                        _ => Rc::new(
                            args.iter()
                                .map(|a| self.expr(a))
                                .collect::<Result<Vec<_>>>()?,
                        ),
                    };
                    let mut it = items.iter().cloned();
                    let Some(mut acc) = it.next() else {
                        return Err(Error::new(
                            span,
                            format!("`{name}` of an empty list: Python stops with a ValueError"),
                        ));
                    };
                    for v in it {
                        acc = self.extremum(op, acc, v, span)?;
                    }
                    return Ok(acc);
                }
                "float" => {
                    arity(1)?;
                    return match self.expr(&args[0])? {
                        Val::Int(i) => Ok(Val::Float(i as f64)),
                        v @ (Val::Float(_) | Val::Node(_)) => Ok(v),
                        other => Err(Error::new(span, format!("`float` of {}", other.kind()))),
                    };
                }
                "int" => {
                    arity(1)?;
                    return match self.expr(&args[0])? {
                        Val::Int(i) => Ok(Val::Int(i)),
                        Val::Float(x) if x.is_finite() && x.abs() < 9.2e18 => {
                            Ok(Val::Int(x.trunc() as i64))
                        }
                        other => Err(Error::new(
                            span,
                            format!(
                                "`int` needs a number known before the run, not {}",
                                other.kind()
                            ),
                        )),
                    };
                }
                _ => {}
            }
        }
        let full = module.map_or(name.to_string(), |m| format!("{m}.{name}"));
        Err(Error::new(
            callee.span,
            format!("unknown function `{full}`; available: log, exp, sin, cos, tan, tanh, sqrt, abs (also as np.… or math.…), max, min"),
        ))
    }

    fn list_method(
        &mut self,
        list: &str,
        list_span: Span,
        method: &str,
        args: &[Expr],
        span: Span,
    ) -> Result<Val> {
        // The argument first (it may read the list), then the list itself, taken out of its variable so that growing
        // it does not copy it.
        let arg = match (method, args) {
            ("append", [a]) => Some(self.expr(a)?),
            ("append", _) => return Err(Error::new(span, "`append` takes one value")),
            _ => None,
        };
        let current = self.lookup(list, list_span)?;
        let Val::List(_) = current else {
            return Err(Error::new(
                list_span,
                format!("`{list}` is {}, not a list", current.kind()),
            ));
        };
        drop(current);
        let Some(Val::List(mut items)) = self.env.take(list) else {
            return Err(Error::new(list_span, format!("`{list}` is not a list")));
        };
        // Python's lists are objects: changed through one name, they change for every holder. Ours are values,
        // shared only while nobody changes them; a list held elsewhere cannot be changed here without giving
        // another answer than Python's, so it is refused.
        if Rc::strong_count(&items) > 1 {
            self.env.insert(list.to_string(), Val::List(items));
            return Err(shared_list(list, span));
        }
        let out = if let Some(v) = arg {
            if items.len() >= self.limits.max_nodes {
                self.env.insert(list.to_string(), Val::List(items));
                return Err(Error::new(span, "this list grows beyond the size limit"));
            }
            Rc::make_mut(&mut items).push(v);
            Val::None
        } else {
            if !args.is_empty() {
                return Err(Error::new(span, "`pop` takes no argument here"));
            }
            match Rc::make_mut(&mut items).pop() {
                Some(v) => v,
                None => {
                    self.env.insert(list.to_string(), Val::List(items));
                    return Err(Error::new(
                        span,
                        format!("`{list}` is empty: nothing to pop"),
                    ));
                }
            }
        };
        self.env.insert(list.to_string(), Val::List(items));
        Ok(out)
    }

    pub(super) fn unary(&mut self, op: Unary, v: Val, span: Span) -> Result<Val> {
        match v {
            Val::Node(n) => Ok(Val::Node(self.push(Op::Unary(op, n), span)?)),
            Val::Int(i) if op == Unary::Abs => {
                Ok(i.checked_abs().map_or(Val::Float(-(i as f64)), Val::Int))
            }
            Val::Int(i) if op == Unary::Neg => i
                .checked_neg()
                .map(Val::Int)
                .ok_or_else(|| Error::new(span, "integer overflow")),
            Val::Int(_) | Val::Float(_) => {
                let x = match v {
                    Val::Int(i) => i as f64,
                    Val::Float(x) => x,
                    _ => 0.0,
                };
                let y = op.apply(x);
                if x.is_finite() && !y.is_finite() {
                    self.note(
                        span,
                        format!(
                            "gives {}: {}",
                            crate::base::num::fmt_full(y),
                            op.domain_note(x)
                        ),
                    );
                }
                Ok(Val::Float(y))
            }
            other => Err(Error::new(
                span,
                format!("cannot apply `{}` to {}", op.name(), other.kind()),
            )),
        }
    }

    /// `max(a, b)` or `min(a, b)` as Python computes it: among numbers known before the run, the argument itself
    /// (an int stays an int); otherwise an operation of the graph.
    fn extremum(&mut self, op: Binary, a: Val, b: Val, span: Span) -> Result<Val> {
        let (Some(x), Some(y)) = (a.as_arg(), b.as_arg()) else {
            let bad = if a.as_arg().is_none() { &a } else { &b };
            return Err(Error::new(
                span,
                format!("`{}` compares numbers, not {}", op.symbol(), bad.kind()),
            ));
        };
        Ok(match (x, y) {
            (Arg::Const(x), Arg::Const(y)) => {
                let takes_b = if op == Binary::Max { y > x } else { y < x };
                if takes_b {
                    b
                } else {
                    a
                }
            }
            _ => Val::Node(self.push(Op::Binary(op, x, y), span)?),
        })
    }

    /// A new list of `n` items, if it stays within the size limit.
    fn new_list(&self, items: impl Iterator<Item = Val>, n: usize, span: Span) -> Result<Val> {
        if n > self.limits.max_nodes {
            return Err(Error::new(span, "this list grows beyond the size limit"));
        }
        Ok(Val::List(Rc::new(items.collect())))
    }

    pub(super) fn binop(&mut self, op: BinOp, a: Val, b: Val, span: Span) -> Result<Val> {
        if op == BinOp::MatMul || op.is_comparison() {
            return Err(not_arithmetic(op, span));
        }
        // Lists: `[x] + [y]` joins, `[x] * 3` repeats — new lists, as in Python, within the size limit.
        match (op, &a, &b) {
            (BinOp::Add, Val::List(p), Val::List(q)) => {
                return self.new_list(p.iter().chain(q.iter()).cloned(), p.len() + q.len(), span)
            }
            (BinOp::Mul, Val::List(p), Val::Int(k)) | (BinOp::Mul, Val::Int(k), Val::List(p)) => {
                let k = (*k).max(0) as usize;
                let n = p.len().saturating_mul(k);
                return self.new_list(p.iter().cycle().take(n).cloned(), n, span);
            }
            _ => {}
        }
        let (Some(x), Some(y)) = (a.as_arg(), b.as_arg()) else {
            let bad = if a.as_arg().is_none() { &a } else { &b };
            return Err(Error::new(
                span,
                format!("`{}` cannot be applied to {}", op.symbol(), bad.kind()),
            ));
        };
        if let (Val::Int(i), Val::Int(j)) = (&a, &b) {
            match int_op(op, *i, *j, span) {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                // A generated program's integers stand for the source's floats: past 64 bits, go on in floats.
                Err(_) if self.generated.is_some() && op.primitive().is_some() => {}
                // Python's integers grow without bound; ours are 64 bits. Past them, go on in floats (what Python
                // gives as soon as the number meets a float), and say so.
                Err(e) if e.message.starts_with("integer overflow") => {
                    self.note(span, int_overflow_note(*i, op, *j))
                }
                Err(e) => return Err(e),
            }
        }
        let Some(prim) = op.primitive() else {
            return match (x, y) {
                (Arg::Const(x), Arg::Const(y)) => match float_divmod(x, y) {
                    Some((q, r)) => Ok(Val::Float(if op == BinOp::Mod { r } else { q })),
                    None => Err(zero_division(op, span)),
                },
                _ => Err(Error::new(
                    span,
                    format!("`{}` is not differentiable, so it only works on numbers known before the run", op.symbol()),
                )),
            };
        };
        match (x, y) {
            // Numbers known before the run follow Python: dividing one by zero stops the program (values that
            // depend on the inputs follow IEEE instead, located on the page).
            (Arg::Const(x), Arg::Const(y))
                if self.generated.is_none()
                    && ((prim == crate::base::op::Binary::Div && y == 0.0)
                        || (prim == crate::base::op::Binary::Pow && x == 0.0 && y < 0.0)) =>
            {
                Err(zero_division(op, span))
            }
            (Arg::Const(x), Arg::Const(y)) => {
                let v = if self.generated.is_some_and(|g| g.structural)
                    && prim == crate::base::op::Binary::Mul
                {
                    crate::base::scalar::chain(x, y)
                } else {
                    prim.apply(x, y)
                };
                if x.is_finite() && y.is_finite() && !v.is_finite() {
                    self.note(
                        span,
                        format!(
                            "gives {}: {}",
                            crate::base::num::fmt_full(v),
                            prim.domain_note(x, y)
                        ),
                    );
                }
                Ok(Val::Float(v))
            }
            _ => Ok(Val::Node(self.push(Op::Binary(prim, x, y), span)?)),
        }
    }
}

/// Python's ZeroDivisionError, for a division by zero among numbers known before the run.
/// `@` and comparisons, which the scalar language does not have.
pub(super) fn not_arithmetic(op: BinOp, span: Span) -> Error {
    Error::new(
        span,
        if op == BinOp::MatMul {
            "matrix products (`@`) are not supported".to_string()
        } else {
            format!(
                "comparisons (`{}`) are not supported: derivatives need arithmetic",
                op.symbol()
            )
        },
    )
}

/// A name with no value here: a function or module used as a value, or a name never assigned.
pub(super) fn unknown_name(name: &str, span: Span, is_def: bool) -> Error {
    if Unary::from_name(name).is_some() || BUILTINS.contains(&name) {
        return Error::new(
            span,
            format!("`{name}` is a function: call it, e.g. `{name}(x)`"),
        );
    }
    if MODULES.contains(&name) {
        return Error::new(
            span,
            format!("`{name}` is a module: use one of its functions, e.g. `{name}.log(x)`"),
        );
    }
    let hint = if is_def {
        " (it is neither a parameter nor assigned before this line)"
    } else {
        ""
    };
    Error::new(span, format!("unknown name `{name}`{hint}"))
}

/// The note for integer arithmetic past 64 bits, which goes on in floats.
pub(super) fn int_overflow_note(i: i64, op: BinOp, j: i64) -> String {
    format!(
        "{i} {} {j} passes 64-bit integers: AD Lab goes on in floats here (Python's integers would stay exact until \
         they meet a float)",
        op.symbol()
    )
}

pub(super) fn zero_division(op: BinOp, span: Span) -> Error {
    Error::new(
        span,
        if op == BinOp::Pow {
            "0 to a negative power divides by zero: Python stops here with a ZeroDivisionError"
                .to_string()
        } else {
            format!(
                "`{}` by zero: Python stops here with a ZeroDivisionError",
                op.symbol()
            )
        },
    )
}

/// A list that cannot be changed here without giving another answer than Python's: another name, another list or
/// a loop walking it holds it too, and Python would change it for them.
pub(super) fn shared_list(list: &str, span: Span) -> Error {
    Error::new(
        span,
        format!(
            "`{list}` is also held elsewhere (another name, another list, or a `for` loop walking it): changing it \
             here changes it there in Python (a loop over a list that grows never ends). Copy it first: `list({list})` \
             or `{list}[:]`"
        ),
    )
}
