//! Forward mode as a program, in the lecture's style: every assignment `v = e` becomes `v, dv = e, ė` in lock-step,
//! loops stay loops, and the function returns the tangents of its results. Only variables that can depend on the
//! seeded input carry a tangent (the others' are zero, so they are not written).

use crate::base::formula::Expr as Formula;
use crate::lang::syntax::{self as ast, ExprKind, Program, Stmt, StmtKind};

use super::analysis::{assigned, live_code, prefix, varied, Func, Names};
use super::bridge::{self, comment, float, reads, Bridge};
use super::rules::{is_zero, Active};

/// The forward-mode program of `f`, seeded with tangent 1 on `inputs[wrt]`.
pub(super) fn forward(f: &Func, inputs: &[String], wrt: usize, note: Option<&str>) -> Program {
    let names = f.names();
    let prefix = prefix(&names);
    let mut live = Names::default();
    for r in &f.results {
        reads(r, &mut live);
    }
    let (body, _) = live_code(&f.body, &live);
    let mut seeds = Names::default();
    if let Some(x) = inputs.get(wrt) {
        seeds.insert(x);
    }
    let active = varied(&body, &seeds);
    let act = Active {
        names: &active,
        prefix: &prefix,
        zero: Default::default(),
    };
    let mut bridge = Bridge::new(names.clone());

    let mut out = Vec::new();
    if let Some(n) = note {
        out.push(comment(n));
    }
    if let Some(x) = inputs.get(wrt) {
        out.push(comment(format!(
            "forward mode: tangents seeded with {} = 1",
            act.d(x)
        )));
    }
    // The inputs that carry a tangent: the seeded one starts at 1; another only if it is assigned from the seeded
    // one later, and starts at 0.
    let carried: Vec<&str> = f
        .params
        .iter()
        .map(|p| p.name.as_str())
        .filter(|p| active.contains(p))
        .collect();
    if !carried.is_empty() {
        let targets: Vec<String> = carried.iter().map(|p| act.d(p)).collect();
        let seeds = carried
            .iter()
            .map(|p| {
                float(if Some(&p.to_string()) == inputs.get(wrt) {
                    1.0
                } else {
                    0.0
                })
            })
            .collect();
        out.push(bridge::assign(&targets, seeds));
        // The other carried inputs start at 0.
        for p in &carried {
            if Some(&p.to_string()) != inputs.get(wrt) {
                act.zero.borrow_mut().insert(p.to_string(), ());
            }
        }
    }
    block(&act, &mut bridge, &body, &mut out);
    let tangents = f
        .results
        .iter()
        .map(|r| {
            let t = act.tangent(&bridge.formula(r));
            if is_zero(&t) {
                float(0.0)
            } else {
                bridge.syntax(&t)
            }
        })
        .collect();
    out.push(bridge::stmt(StmtKind::Return(bridge::tuple(tangents))));
    Program::Def {
        name: "g".into(),
        params: f.params.clone(),
        body: out,
        span: Default::default(),
        after: Vec::new(),
        before: Vec::new(),
    }
}

/// The targets of an assignment with the value each gets (`t op= e` is `t = t op e`).
pub(super) fn parts(
    bridge: &mut Bridge,
    s: &Stmt,
) -> Option<(Vec<String>, Vec<ast::Expr>, Vec<Formula>)> {
    match &s.kind {
        StmtKind::Assign(targets, e) => {
            let values: Vec<ast::Expr> = match &e.kind {
                ExprKind::Tuple(items) if targets.len() > 1 => items.clone(),
                _ => vec![e.clone()],
            };
            let formulas = values.iter().map(|v| bridge.formula(v)).collect();
            Some((
                targets.iter().map(|t| t.name.clone()).collect(),
                values,
                formulas,
            ))
        }
        StmtKind::AugAssign(t, op, e) => {
            let prim = op.primitive()?;
            let value = bridge::expr(ExprKind::Binary(
                *op,
                Box::new(bridge::name(&t.name)),
                Box::new(e.clone()),
            ));
            let formula = Formula::binary(prim, Formula::var(&t.name), bridge.formula(e));
            Some((vec![t.name.clone()], vec![value], vec![formula]))
        }
        _ => None,
    }
}

fn block(act: &Active<'_>, bridge: &mut Bridge, stmts: &[Stmt], out: &mut Vec<Stmt>) {
    for s in stmts {
        if let Some((targets, values, formulas)) = parts(bridge, s) {
            let mut lhs = Vec::new();
            let mut rhs = Vec::new();
            let mut zeros = Vec::new();
            for ((t, v), f) in targets.iter().zip(values).zip(&formulas) {
                lhs.push(t.clone());
                rhs.push(v);
                if act.names.contains(t) {
                    lhs.push(act.d(t));
                    let tangent = act.tangent(f);
                    let zero = is_zero(&tangent);
                    zeros.push((t, zero));
                    rhs.push(if zero {
                        float(0.0)
                    } else {
                        bridge.syntax(&tangent)
                    });
                }
            }
            // After the statement (its right-hand sides read the values before it).
            let mut zero = act.zero.borrow_mut();
            for (t, z) in zeros {
                if z {
                    zero.insert(t.clone(), ());
                } else {
                    zero.remove(t.as_str());
                }
            }
            out.push(bridge::assign(&lhs, rhs));
            continue;
        }
        if let StmtKind::For { var, iter, body } = &s.kind {
            // In the body, a variable it assigns may hold a tangent from the iteration before: not known to be zero.
            // After the loop (which may not run), zero only where it is zero both before and after the body.
            let mut changed = Names::default();
            assigned(body, &mut changed);
            changed.insert(&var.name);
            let entry = {
                let mut zero = act.zero.borrow_mut();
                for n in changed.iter() {
                    zero.remove(n);
                }
                zero.clone()
            };
            let mut inner = Vec::new();
            block(act, bridge, body, &mut inner);
            act.zero.borrow_mut().retain(|k, _| entry.contains_key(k));
            out.push(bridge::stmt(StmtKind::For {
                var: var.clone(),
                iter: iter.clone(),
                body: inner,
            }));
        }
    }
}
