//! The inputs of a plain expression or script: the names it reads before assigning them.

use super::{BUILTINS, MODULES};
use crate::base::op::Unary;
use crate::lang::syntax::*;

/// Names read before they are assigned, in order of first appearance: the inputs of a plain expression or script.
pub(crate) fn free_names(stmts: &[Stmt]) -> Vec<String> {
    fn expr(e: &Expr, assigned: &mut Vec<String>, free: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Float(_) => {}
            ExprKind::Name(n) => {
                let known = assigned.contains(n)
                    || free.contains(n)
                    || MODULES.contains(&n.as_str())
                    || BUILTINS.contains(&n.as_str())
                    || Unary::from_name(n).is_some();
                if !known {
                    free.push(n.clone());
                }
            }
            ExprKind::Attr(base, _) => expr(base, assigned, free),
            ExprKind::Unary(_, a) | ExprKind::Keyword(_, a) => expr(a, assigned, free),
            ExprKind::Binary(_, a, b) => {
                expr(a, assigned, free);
                expr(b, assigned, free);
            }
            ExprKind::Call(callee, args) => {
                if let ExprKind::Attr(base, _) = &callee.kind {
                    expr(base, assigned, free);
                }
                for a in args {
                    expr(a, assigned, free);
                }
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| expr(i, assigned, free))
            }
            ExprKind::Index(a, b) => {
                expr(a, assigned, free);
                expr(b, assigned, free);
            }
            ExprKind::Slice(a, parts) => {
                expr(a, assigned, free);
                parts.iter().flatten().for_each(|p| expr(p, assigned, free));
            }
            ExprKind::Range(parts) => parts.iter().flatten().for_each(|p| expr(p, assigned, free)),
        }
    }
    fn block(stmts: &[Stmt], assigned: &mut Vec<String>, free: &mut Vec<String>) {
        for s in stmts {
            match &s.kind {
                StmtKind::Assign(targets, value) => {
                    expr(value, assigned, free);
                    assigned.extend(targets.iter().map(|t| t.name.clone()));
                }
                StmtKind::AugAssign(t, _, value) => {
                    expr(
                        &Expr {
                            kind: ExprKind::Name(t.name.clone()),
                            span: t.span,
                        },
                        assigned,
                        free,
                    );
                    expr(value, assigned, free);
                    assigned.push(t.name.clone());
                }
                StmtKind::For { var, iter, body } => {
                    expr(iter, assigned, free);
                    assigned.push(var.name.clone());
                    block(body, assigned, free);
                }
                StmtKind::Return(e) | StmtKind::Expr(e) => expr(e, assigned, free),
                StmtKind::Pass | StmtKind::Comment(_) => {}
            }
        }
    }
    let (mut assigned, mut free) = (Vec::new(), Vec::new());
    block(stmts, &mut assigned, &mut free);
    free
}
