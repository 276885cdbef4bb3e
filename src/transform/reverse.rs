//! Reverse mode as a program: a forward sweep that pushes every value it is about to overwrite onto a list
//! (`memory`), then a backward sweep that walks the statements in reverse, restoring those values and accumulating
//! adjoints (`dx += dv * …`). A loop whose body is one assignment reads, as on the slides,
//! `for v in memory[::-1]: dv = …`. Statements the chosen result does not depend on are left out of both sweeps.

use crate::base::formula::{Expr as Formula, Node};
use crate::lang::syntax::{self as ast, BinOp, ExprKind, Program, Stmt, StmtKind};

use super::analysis::{assigned, fresh, live_code, prefix, varied, Func, Names};
use super::bridge::{self, comment, float, method, name, reads, Bridge};
use super::forward::parts;
use super::rules::{is_zero, Active};

/// What the backward sweep must undo, mirroring the forward sweep's structure.
enum Back {
    Assign {
        targets: Vec<String>,
        formulas: Vec<Formula>,
        pushed: Vec<bool>,
        redefined: Vec<bool>,
        /// The active variables holding, before this statement, a value that does not depend on the inputs: an
        /// adjoint pushed into them would reach no input, so it is not written (`0**-1` in a dead term would stop
        /// the program).
        zero: Zero,
    },
    Loop {
        var: String,
        iter: ast::Expr,
        body: Vec<Back>,
        lecture_form: bool,
    },
}

type Zero = crate::base::hash::Map<String, ()>;

struct Sweep<'a> {
    act: &'a Active<'a>,
    bridge: &'a mut Bridge,
    memory: &'a str,
    defined: Names,
    pushes: usize,
}

impl Sweep<'_> {
    fn block(&mut self, stmts: &[Stmt], in_loop: bool, out: &mut Vec<Stmt>) -> Vec<Back> {
        let mut back = Vec::new();
        for s in stmts {
            if let Some((targets, values, formulas)) = parts(self.bridge, s) {
                let mut pushed = Vec::new();
                let mut redefined = Vec::new();
                for t in &targets {
                    let before = self.defined.contains(t);
                    if before {
                        out.push(bridge::stmt(StmtKind::Expr(method(
                            self.memory,
                            "append",
                            vec![name(t)],
                        ))));
                        self.pushes += 1;
                    }
                    pushed.push(before);
                    redefined.push(before || in_loop);
                }
                out.push(match &s.kind {
                    StmtKind::AugAssign(..) => s.clone(),
                    _ => bridge::assign(&targets, values),
                });
                self.defined.extend(targets.iter().map(|t| t.as_str()));
                // Which targets now hold values that do not depend on the inputs (after the statement).
                let zero = self.act.zero.borrow().clone();
                let constant: Vec<bool> = formulas
                    .iter()
                    .map(|f| is_zero(&self.act.tangent(f)))
                    .collect();
                {
                    let mut z = self.act.zero.borrow_mut();
                    for (t, c) in targets.iter().zip(constant) {
                        if !self.act.names.contains(t) {
                            continue;
                        }
                        if c {
                            z.insert(t.clone(), ());
                        } else {
                            z.remove(t.as_str());
                        }
                    }
                }
                back.push(Back::Assign {
                    targets,
                    formulas,
                    pushed,
                    redefined,
                    zero,
                });
                continue;
            }
            if let StmtKind::For { var, iter, body } = &s.kind {
                // Variables first assigned inside the loop get a value before it, so that every iteration can push
                // the value it overwrites.
                let mut inside = Names::default();
                assigned(body, &mut inside);
                let fresh_ones: Vec<String> = inside
                    .iter()
                    .filter(|n| !self.defined.contains(n) && *n != var.name)
                    .map(|n| n.to_string())
                    .collect();
                for n in &fresh_ones {
                    out.push(bridge::assign(std::slice::from_ref(n), vec![float(0.0)]));
                    self.defined.insert(n);
                }
                self.defined.insert(&var.name);
                let pushes_before = self.pushes;
                // As in forward mode: inside, what the body assigns may depend on the inputs from an earlier
                // iteration; after, constant only where constant both before and after the body.
                let entry = {
                    let mut z = self.act.zero.borrow_mut();
                    for n in inside.iter() {
                        z.remove(n);
                    }
                    z.remove(var.name.as_str());
                    z.clone()
                };
                let mut inner = Vec::new();
                let body_back = self.block(body, true, &mut inner);
                self.act
                    .zero
                    .borrow_mut()
                    .retain(|k, _| entry.contains_key(k));
                let lecture_form = !in_loop
                    && pushes_before == 0
                    && matches!(&body_back[..], [Back::Assign { targets, pushed, formulas, .. }]
                        if targets.len() == 1 && pushed[0] && !self.bridge.reads(&formulas[0], &var.name));
                out.push(bridge::stmt(StmtKind::For {
                    var: var.clone(),
                    iter: iter.clone(),
                    body: inner,
                }));
                back.push(Back::Loop {
                    var: var.name.clone(),
                    iter: iter.clone(),
                    body: body_back,
                    lecture_form,
                });
            }
        }
        back
    }
}

/// The reverse-mode program of `f`: returns the gradient of result number `output` with respect to `inputs`.
pub(super) fn reverse(f: &Func, inputs: &[String], output: usize, note: Option<&str>) -> Program {
    let names = f.names();
    let prefix = prefix(&names);
    let memory = fresh("memory", &names);
    let result = f.results.get(output).cloned().unwrap_or_else(|| float(0.0));
    let mut live = Names::default();
    reads(&result, &mut live);
    let (body, _) = live_code(&f.body, &live);
    let mut ins = Names::default();
    ins.extend(inputs.iter().map(|s| s.as_str()));
    let active = varied(&body, &ins);
    let act = Active {
        names: &active,
        prefix: &prefix,
        zero: Default::default(),
    };
    let mut taken = names.clone();
    taken.insert(&memory);
    for n in names.iter() {
        taken.insert(&act.d(n));
    }
    let mut bridge = Bridge::new(names.clone());

    let mut sweep_out = Vec::new();
    let mut sweep = Sweep {
        act: &act,
        bridge: &mut bridge,
        memory: &memory,
        defined: {
            let mut d = Names::default();
            d.extend(f.params.iter().map(|p| p.name.as_str()));
            d
        },
        pushes: 0,
    };
    let back = sweep.block(&body, false, &mut sweep_out);
    let pushes = sweep.pushes;
    // The slides' `for v in memory[::-1]` reads the whole of `memory`: only right when one loop stored everything.
    let lecture_loops = back
        .iter()
        .filter(|b| {
            matches!(
                b,
                Back::Loop {
                    lecture_form: true,
                    ..
                }
            )
        })
        .count();
    let lecture_only = lecture_loops == 1
        && back.iter().all(|b| match b {
            Back::Loop { lecture_form, .. } => *lecture_form,
            Back::Assign { pushed, .. } => pushed.iter().all(|p| !p),
        });

    let mut out = Vec::new();
    if let Some(n) = note {
        out.push(comment(n));
    }
    out.push(comment("reverse mode: forward sweep, then backward sweep"));
    if pushes > 0 {
        out.push(bridge::assign(
            std::slice::from_ref(&memory),
            vec![bridge::expr(ExprKind::List(Vec::new()))],
        ));
    }
    out.extend(sweep_out);

    // Adjoints: the chosen result's is 1, every other starts at 0.
    let mut order = Names::default();
    order.extend(inputs.iter().map(|s| s.as_str()));
    let mut assigned_names = Names::default();
    assigned(&body, &mut assigned_names);
    order.extend(assigned_names.iter().filter(|n| active.contains(n)));
    let result_formula = bridge.formula(&result);
    let seeded = act.var(&result_formula).map(|s| s.to_string());
    if let Some(v) = &seeded {
        out.push(bridge::assign(&[act.d(v)], vec![float(1.0)]));
    }
    let zeros: Vec<String> = order
        .iter()
        .filter(|n| Some(*n) != seeded.as_deref())
        .map(|n| act.d(n))
        .collect();
    if !zeros.is_empty() {
        let values = zeros.iter().map(|_| float(0.0)).collect();
        out.push(bridge::assign(&zeros, values));
    }
    if seeded.is_none() {
        let mut contrib = Vec::new();
        act.adjoints(&result_formula, Formula::num(1.0), &mut contrib);
        for (u, c) in contrib {
            out.push(bridge::augment(&act.d(&u), BinOp::Add, bridge.syntax(&c)));
        }
    }
    let ctx = Ctx {
        act: &act,
        bridge: &bridge,
        memory: &memory,
        taken: &taken,
    };
    ctx.backward(&back, lecture_only, &mut out);
    let grads: Vec<ast::Expr> = inputs.iter().map(|n| name(&act.d(n))).collect();
    out.push(bridge::stmt(StmtKind::Return(if grads.is_empty() {
        float(0.0)
    } else {
        bridge::tuple(grads)
    })));
    Program::Def {
        name: "g".into(),
        params: f.params.clone(),
        body: out,
        span: Default::default(),
        after: Vec::new(),
        before: Vec::new(),
    }
}

struct Ctx<'a> {
    act: &'a Active<'a>,
    bridge: &'a Bridge,
    memory: &'a str,
    taken: &'a Names,
}

impl Ctx<'_> {
    fn backward(&self, back: &[Back], lecture_only: bool, out: &mut Vec<Stmt>) {
        for b in back.iter().rev() {
            match b {
                Back::Loop {
                    var,
                    iter,
                    body,
                    lecture_form,
                } => {
                    if *lecture_form && lecture_only {
                        let Back::Assign {
                            targets,
                            formulas,
                            redefined,
                            zero,
                            ..
                        } = &body[0]
                        else {
                            continue;
                        };
                        let mut inner = Vec::new();
                        self.adjoint_assign(
                            targets,
                            formulas,
                            &[false],
                            redefined,
                            zero,
                            &mut inner,
                        );
                        let reversed = bridge::expr(ExprKind::Slice(
                            Box::new(name(self.memory)),
                            [None, None, Some(Box::new(bridge::number(-1.0)))],
                        ));
                        out.push(bridge::stmt(StmtKind::For {
                            var: bridge::target(&targets[0]),
                            iter: reversed,
                            body: inner,
                        }));
                    } else {
                        let mut inner = Vec::new();
                        self.backward(body, false, &mut inner);
                        out.push(bridge::stmt(StmtKind::For {
                            var: bridge::target(var),
                            iter: bridge::call("reversed", vec![iter.clone()]),
                            body: inner,
                        }));
                    }
                }
                Back::Assign {
                    targets,
                    formulas,
                    pushed,
                    redefined,
                    zero,
                } => self.adjoint_assign(targets, formulas, pushed, redefined, zero, out),
            }
        }
    }

    /// The backward counterpart of `t1, … = e1, …`: restore what was overwritten, then push the targets' adjoints
    /// into the variables the expressions read.
    fn adjoint_assign(
        &self,
        targets: &[String],
        formulas: &[Formula],
        pushed: &[bool],
        redefined: &[bool],
        zero: &Zero,
        out: &mut Vec<Stmt>,
    ) {
        let act = self.act;
        *act.zero.borrow_mut() = zero.clone();
        for (t, &p) in targets.iter().zip(pushed).rev() {
            if p {
                out.push(bridge::assign(
                    std::slice::from_ref(t),
                    vec![method(self.memory, "pop", Vec::new())],
                ));
            }
        }
        let active: Vec<usize> = (0..targets.len())
            .filter(|&k| act.names.contains(&targets[k]))
            .collect();
        if active.is_empty() {
            return;
        }
        let add = |out: &mut Vec<Stmt>, u: &str, c: &Formula| {
            if !is_zero(c) {
                out.push(bridge::augment(
                    &act.d(u),
                    BinOp::Add,
                    self.bridge.syntax(c),
                ));
            }
        };
        if targets.len() == 1 {
            let t = &targets[0];
            let dt = act.d(t);
            let mut contrib = Vec::new();
            act.adjoints(&formulas[0], Formula::var(&dt), &mut contrib);
            let mut own = None;
            for (u, c) in contrib {
                if u == *t {
                    own = Some(c);
                } else {
                    add(out, &u, &c);
                }
            }
            match own {
                // `t += e`: the adjoint passes through unchanged (`dt = dt` is not written).
                Some(c) if matches!(c.node(), Node::Var(v) if **v == *dt) => {}
                Some(c) => out.push(bridge::assign(&[dt], vec![self.value(&c)])),
                None if redefined[0] => out.push(bridge::assign(&[dt], vec![float(0.0)])),
                None => {}
            }
            return;
        }
        // Several targets at once: read their adjoints into temporaries, reset them, then push.
        let mut taken = self.taken.clone();
        let temps: Vec<String> = active
            .iter()
            .map(|&k| {
                let t = super::analysis::fresh(&format!("_{}", act.d(&targets[k])), &taken);
                taken.insert(&t);
                t
            })
            .collect();
        let dts: Vec<String> = active.iter().map(|&k| act.d(&targets[k])).collect();
        out.push(bridge::assign(
            &temps,
            dts.iter().map(|d| name(d)).collect(),
        ));
        out.push(bridge::assign(
            &dts,
            dts.iter().map(|_| float(0.0)).collect(),
        ));
        for (&k, tmp) in active.iter().zip(&temps) {
            let mut contrib = Vec::new();
            act.adjoints(&formulas[k], Formula::var(tmp), &mut contrib);
            for (u, c) in contrib {
                add(out, &u, &c);
            }
        }
    }

    fn value(&self, f: &Formula) -> ast::Expr {
        match f.node() {
            Node::Num(x) if *x == 0.0 => float(0.0),
            _ => self.bridge.syntax(f),
        }
    }
}
