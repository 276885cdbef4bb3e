//! The graph lab's exports, as text: the trace table as CSV and as a LaTeX `tabular` (booktabs, in the lecture's
//! notation), the graph as TikZ and as a standalone SVG, and the program with its forward and reverse derivative
//! programs as a Python file that prints the page's numbers. Everything here is made from the [`Session`] the page
//! shows: every node's primal, its tangent with respect to the chosen input and its adjoint of the chosen output, at
//! full precision (the table) or to 5 significant digits (the drawings).

use super::arrays::ArraySession;
use super::Session;
use crate::ad::trace::op_expr;
use crate::base::array::{fmt_literal, Array};
use crate::base::formula::{escape, tex_name, tex_num};
use crate::base::num::{fmt_full, fmt_sig};
use crate::lang::graph::Op;
use crate::lang::syntax::Program;
use crate::layout::{Layout, NODE_H, NODE_W};

/// The files' name without its extension: the chapter and the program (`graph-f`, `graph-set7-ex3`).
pub fn stem(state: &super::GraphState) -> String {
    let syntax = state
        .program
        .compiled
        .as_ref()
        .map(|c| &c.syntax)
        .or_else(|| state.traced().map(|t| &t.syntax));
    match (state.exercise, syntax) {
        (Some((set, ex)), _) => format!("graph-set{set}-ex{ex}"),
        (None, Some(Program::Def { name, .. })) => format!("graph-{name}"),
        _ => "graph-program".into(),
    }
}

/// The chosen input's name (tangents are with respect to it) and the chosen output's (adjoints are of it).
fn seeds(s: &Session) -> (String, String) {
    let g = s.graph();
    let wrt = g
        .inputs
        .get(s.forward.wrt)
        .map_or(String::new(), |i| i.name.clone());
    let out = if g.outputs.len() > 1 {
        "f".to_string() + &(s.reverse.output + 1).to_string()
    } else {
        "f".into()
    };
    (wrt, out)
}

/// `x = 3, y = 2`: the point, as the page shows it.
fn point(s: &Session) -> String {
    let mut text = String::new();
    for (i, v) in s.graph().inputs.iter().zip(&s.values) {
        if !text.is_empty() {
            text += ", ";
        }
        text += &i.name;
        text += " = ";
        text += &fmt_full(*v);
    }
    text
}

/// The trace as a table, one row per node: its name, its operation, primal, tangent and adjoint. As CSV (RFC 4180,
/// numbers as Rust's `{}` prints them) or as the rows of a LaTeX `tabular` (math mode, the lecture's notation).
fn table(s: &Session, tex: bool) -> String {
    let g = s.graph();
    let (sep, end) = if tex {
        (" & ", " \\\\\n")
    } else {
        (",", "\r\n")
    };
    let mut text = String::new();
    for id in g.ids() {
        let k = id.index();
        let label = g.label(id);
        let op = match g.node(id).op {
            Op::Input(_) => "input".to_string(),
            _ if tex => "$".to_string() + &op_expr(g, id).to_tex() + "$",
            _ => {
                let op = op_expr(g, id).to_code();
                if op.contains(',') {
                    "\"".to_string() + &op + "\""
                } else {
                    op
                }
            }
        };
        let step = &s.forward.steps[k];
        text += &if tex {
            "$".to_string() + &tex_name(&label) + "$"
        } else {
            label
        };
        text += sep;
        text += &op;
        for x in [step.primal, step.tangent, s.reverse.adjoints[k]] {
            text += sep;
            text += &if tex {
                "$".to_string() + &tex_num(x) + "$"
            } else {
                fmt_full(x)
            };
        }
        text += end;
    }
    text
}

/// The trace as CSV: one row per node, every number as Rust's `{}` prints it.
pub fn csv(s: &Session) -> String {
    let (wrt, out) = seeds(s);
    "node,operation,primal,tangent d/d".to_string()
        + &wrt
        + ",adjoint d"
        + &out
        + "/dv\r\n"
        + &table(s, false)
}

/// The trace as a booktabs `tabular`: `v_{1}`, `x^{2}`, its value, `\dot v`, `\bar v`.
pub fn latex(s: &Session) -> String {
    let (wrt, out) = seeds(s);
    "% AD Lab's evaluation trace (the inputs' rows give the point); needs booktabs\n\\begin{tabular}{llrrr}\n\\toprule\nnode & operation & value $v$ & \
           tangent $\\dot v = \\partial v / \\partial ".to_string()
        + &tex_name(&wrt)
        + "$ & adjoint $\\bar v = \\partial "
        + &out
        + " / \\partial v$ \\\\\n\\midrule\n"
        + &table(s, true)
        + "\\bottomrule\n\\end{tabular}\n"
}

/// The drawing's geometry (empty when the graph is too large to draw).
fn layout(s: &Session) -> &Layout {
    static NONE: Layout = Layout {
        pos: Vec::new(),
        layer: Vec::new(),
        edges: Vec::new(),
        width: 0.0,
        height: 0.0,
        crossings: None,
    };
    s.sketch.layout.as_ref().unwrap_or(&NONE)
}

/// `(x, y)` rounded to whole pixels, separated by `sep`.
fn xy((x, y): (f64, f64), sep: &str) -> String {
    fmt_full(x.round()) + sep + &fmt_full(y.round())
}

/// One box of a drawing to export: its definition as TeX (one or two lines, `\\\\` between) and as SVG text (its
/// name in bold, the rest), and its value line.
struct Drawn {
    tex: String,
    name: String,
    rest: String,
    value: String,
}

/// The graph as a `tikzpicture` (compiles with the `tikz` package): each node its definition and value, edges
/// through the drawing's own points.
pub fn tikz(s: &Session) -> String {
    let g = s.graph();
    let boxes = g
        .ids()
        .map(|id| {
            let name = tex_name(&g.label(id));
            let def = match g.node(id).op {
                Op::Input(_) => name,
                _ => name + " = " + &op_expr(g, id).to_tex(),
            };
            let p = s.forward.steps[id.index()].primal;
            let value = if p.is_finite() {
                fmt_sig(p, 5).replace('−', "-")
            } else {
                tex_num(p)
            };
            Drawn {
                tex: "$".to_string() + &def + "$\\\\$= " + &value + "$",
                name: String::new(),
                rest: String::new(),
                value: String::new(),
            }
        })
        .collect::<Vec<_>>();
    tikz_of(layout(s), &boxes)
}

fn tikz_of(l: &Layout, boxes: &[Drawn]) -> String {
    // 1 px of the page's drawing = 0.02 cm: a node is 2.7 cm wide.
    let mut text = "% AD Lab's computational graph; needs tikz\n\\begin{tikzpicture}[x=0.02cm, y=-0.02cm, >=stealth, every node/.style={draw, \
           rounded corners, align=center, minimum width=2.6cm, minimum height=1.1cm, font=\\small}]\n"
        .to_string();
    for (i, (b, &pos)) in boxes.iter().zip(&l.pos).enumerate() {
        text += &("\\node (n".to_string()
            + &i.to_string()
            + ") at ("
            + &xy(pos, ", ")
            + ") {"
            + &b.tex
            + "};\n");
    }
    for e in &l.edges {
        text += &("\\draw[->] (n".to_string() + &e.from.0.to_string() + ".east)");
        for &p in &e.points[1..e.points.len().saturating_sub(1)] {
            text += &(" -- (".to_string() + &xy(p, ", ") + ")");
        }
        text += &(" -- (n".to_string() + &e.to.0.to_string() + ".west);\n");
    }
    text + "\\end{tikzpicture}\n"
}

/// The graph as a standalone SVG (its own styles, no script): boxes with each node's definition and value, edges
/// through the drawing's points.
pub fn svg(s: &Session) -> String {
    let g = s.graph();
    let boxes = g
        .ids()
        .map(|id| Drawn {
            tex: String::new(),
            name: g.label(id),
            rest: match g.node(id).op {
                Op::Input(_) => String::new(),
                _ => " = ".to_string() + &s.sketch.ops[id.index()],
            },
            value: "= ".to_string() + &fmt_sig(s.forward.steps[id.index()].primal, 5),
        })
        .collect::<Vec<_>>();
    svg_of(
        layout(s),
        &boxes,
        &("The computational graph at ".to_string() + &point(s)),
    )
}

fn svg_of(l: &Layout, boxes: &[Drawn], title: &str) -> String {
    let size = xy((l.width + 40.0, l.height), " ");
    let mut text = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ".to_string()
        + &size
        + "\" font-family=\"sans-serif\" font-size=\"13\" text-anchor=\"middle\">\n<title>"
        + &escape(title)
        + "</title>\n<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" \
           markerHeight=\"9\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n\
           <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<g fill=\"none\" stroke=\"#555\" \
           stroke-width=\"1.5\" marker-end=\"url(#a)\">\n";
    for e in &l.edges {
        text += "<polyline points=\"";
        for &p in &e.points {
            text += &xy(p, ",");
            text += " ";
        }
        text += "\"/>\n";
    }
    text += "</g>\n<g fill=\"#f4f6f8\" stroke=\"#333\">\n";
    for &(x, y) in &l.pos {
        text += &("<rect x=\"".to_string()
            + &xy((x - NODE_W / 2.0, y - NODE_H / 2.0), "\" y=\"")
            + "\" width=\"134\" height=\"62\" rx=\"10\"/>\n");
    }
    text += "</g>\n";
    for (b, &(x, y)) in boxes.iter().zip(&l.pos) {
        text += &("<text x=\"".to_string()
            + &xy((x, y - 4.0), "\" y=\"")
            + "\"><tspan font-weight=\"bold\">"
            + &escape(&b.name)
            + "</tspan>"
            + &escape(&b.rest)
            + "<tspan x=\""
            + &fmt_full(x.round())
            + "\" dy=\"18\">"
            + &escape(&b.value)
            + "</tspan></text>\n");
    }
    text + "</svg>\n"
}

/// An array program's boxes: `v4 @`, then its shape (and its value when it is one number).
fn array_boxes(s: &ArraySession) -> Vec<Drawn> {
    s.order
        .iter()
        .map(|&k| {
            let shape = &s.graph().nodes[k].shape;
            let value = match shape.is_empty() {
                true => "= ".to_string() + &fmt_sig(s.values[k].data[0], 5),
                false => shape
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" × "),
            };
            let tt = tex_tt(&s.labels[k]);
            Drawn {
                tex: "$v_{".to_string()
                    + &k.to_string()
                    + "}$ \\texttt{"
                    + &tt
                    + "}\\\\"
                    + &value.replace(" × ", "$\\times$").replace('−', "-"),
                name: "v".to_string() + &k.to_string(),
                rest: " ".to_string() + &s.labels[k],
                value,
            }
        })
        .collect()
}

/// An operation's name for TeX's `\texttt`: its special characters escaped.
fn tex_tt(label: &str) -> String {
    label
        .replace('−', "-")
        .chars()
        .flat_map(|c| match c {
            '_' | '#' | '%' | '&' | '$' | '{' | '}' => vec!['\\', c],
            '~' | '^' => vec!['?'],
            c => vec![c],
        })
        .collect()
}

/// An array in TeX math: a number, or a row or a matrix as a bracketed `smallmatrix` (amsmath) of numbers to 6
/// significant digits; larger arrays (more than 16 numbers, or of rank 3 and more) as their shape in words.
fn tex_array(a: &Array) -> String {
    let num = |x: f64| match x.is_finite() {
        true => fmt_sig(x, 6).replace('−', "-"),
        false => tex_num(x),
    };
    let rows: Vec<&[f64]> = match a.shape[..] {
        [] => return "$".to_string() + &num(a.data[0]) + "$",
        [_] => vec![&a.data[..]],
        [_, c] if c > 0 => a.data.chunks(c).collect(),
        _ => Vec::new(),
    };
    if rows.is_empty() || a.len() > 16 {
        return "(shape ".to_string() + &crate::base::array::fmt_shape(&a.shape) + ": see the CSV)";
    }
    let body: Vec<String> = rows
        .iter()
        .map(|r| r.iter().map(|&x| num(x)).collect::<Vec<_>>().join(" & "))
        .collect();
    "$\\left[\\begin{smallmatrix}".to_string()
        + &body.join(" \\\\ ")
        + "\\end{smallmatrix}\\right]$"
}

/// An array program's trace as a booktabs `tabular` (with amsmath's `smallmatrix`): a row per node drawn — its name,
/// operation and shape, its value, its tangent along the forward seed and its adjoint.
pub fn array_latex(s: &ArraySession) -> String {
    let mut text = "% AD Lab's evaluation trace of a numpy program at array granularity, numbers to 6 significant \
                    digits (the CSV has every digit); needs booktabs and amsmath\n\\begin{tabular}{llllll}\n\\toprule\n\
                    node & operation & shape & value $v$ & tangent $\\dot v$ along \\texttt{"
        .to_string()
        + &tex_tt(&s.wrt_name)
        + "} & adjoint $\\bar v = \\partial f / \\partial v$ \\\\\n\\midrule\n";
    for &k in &s.order {
        let shape: Vec<String> = s.graph().nodes[k]
            .shape
            .iter()
            .map(|d| d.to_string())
            .collect();
        text += &("$v_{".to_string()
            + &k.to_string()
            + "}$ & \\texttt{"
            + &tex_tt(&s.labels[k])
            + "} & ");
        text += &match shape.is_empty() {
            true => "number".to_string(),
            false => "$".to_string() + &shape.join(" \\times ") + "$",
        };
        for a in [
            Some(&s.values[k]),
            Some(&s.tangents[k]),
            s.adjoints[k].as_ref(),
        ] {
            text += " & ";
            text += &a.map_or(String::new(), tex_array);
        }
        text += " \\\\\n";
    }
    text + "\\bottomrule\n\\end{tabular}\n"
}

/// An array program's graph as a `tikzpicture`: a node per array operation with its shape.
pub fn array_tikz(s: &ArraySession) -> String {
    match &*s.layout {
        Ok(l) => tikz_of(l, &array_boxes(s)),
        Err(_) => String::new(),
    }
}

/// An array program's graph as a standalone SVG.
pub fn array_svg(s: &ArraySession) -> String {
    match &*s.layout {
        Ok(l) => svg_of(
            l,
            &array_boxes(s),
            "The computational graph at array granularity",
        ),
        Err(_) => String::new(),
    }
}

/// What the exported Python file defines before the programs: numpy's IEEE arithmetic (a division by zero is ±∞, not
/// an exception), the language's functions with the page's results outside their domains, and numbers printed as the
/// page prints them.
const PRELUDE: &str = r#"import math as _m, numpy as _np
_np.seterr(all="ignore")
_F = _np.float64
def _lift(n):
    f = getattr(_m, n)
    def g(a):
        a = _F(a)
        if a != a: return a
        try: return _F(f(a))
        except OverflowError: return _F(_m.copysign(_m.inf, a) if n == "sinh" else _m.inf)
        except ValueError: return _F(-_m.inf if n == "log" and a == 0 else _m.nan)
    return g
_N = "log exp sin cos tan sinh cosh tanh sqrt".split()
log, exp, sin, cos, tan, sinh, cosh, tanh, sqrt = map(_lift, _N)
pi, e, inf, nan = _F(_m.pi), _F(_m.e), _F(_m.inf), _F(_m.nan)
def relu(a): return a if a > 0 or a != a else _F(0)
def step(a): return _F(1) if a > 0 else a if a != a else _F(0)
class _M: abs, maximum, minimum = abs, max, min
for _n in _N + "relu step pi e inf nan".split(): setattr(_M, _n, globals()[_n])
np = numpy = math = jnp = anp = onp = _M
def _show(v):  # as the page prints numbers: every digit needed, no exponent
    v = v if isinstance(v, (tuple, list)) else (v,)
    return " ".join("NaN" if x != x else _np.format_float_positional(_F(x), unique=True, trim="-") for x in v)
"#;

/// The program with its forward- and reverse-mode programs as a Python file: run with `python3` (and numpy), it
/// prints the value, the tangents and the gradient the page shows. The program is the text as typed (its imports
/// commented out: the prelude stands for numpy and math; the lines after the function left out); an expression
/// without a `def` is written as its Wengert list.
pub fn python(s: &Session) -> String {
    let g = s.graph();
    let (wrt, out) = seeds(s);
    let c = &s.compiled;
    let (name, program) = match &c.syntax {
        Program::Def { name, after, .. } => {
            let end = after
                .first()
                .map_or(c.source.len(), |st| st.span.start as usize);
            let mut text = String::new();
            for line in c.source.get(..end).unwrap_or(&c.source).lines() {
                if line.starts_with("import ") || line.starts_with("from ") {
                    text += "# ";
                }
                text += line;
                text += "\n";
            }
            (name.as_str(), text)
        }
        Program::Script(_) => ("f", crate::transform::wengert(g)),
    };
    let list = |v: &mut dyn Iterator<Item = f64>| v.map(fmt_full).collect::<Vec<_>>().join(" ");
    let mut call = String::new();
    for (i, v) in g.inputs.iter().zip(&s.values) {
        call += &i.name;
        call += "=_F(";
        call += &crate::base::num::fmt_code(*v);
        call += "), ";
    }
    let mut text = "# AD Lab, graph lab: a program and its derivative programs, at ".to_string()
        + &point(s)
        + ".\n# Run with python3 (and numpy); each line printed is a number the page shows.\n\n"
        + PRELUDE
        + "\n\n# The program.\n"
        + &program;
    let mut prints = "print(\"value:\", _show(".to_string()
        + name
        + "("
        + &call
        + ")))  # the page: "
        + &list(&mut g.outputs.iter().map(|o| s.forward.steps[o.index()].primal))
        + "\n";
    let forward = list(&mut g.outputs.iter().map(|o| s.forward.steps[o.index()].tangent));
    let reverse = list(&mut g.inputs.iter().map(|i| s.reverse.adjoints[i.node.index()]));
    for (code, fname, what, page) in [
        (
            &s.programs.forward,
            "f_forward",
            "forward mode, d/d".to_string() + &wrt,
            forward,
        ),
        (
            &s.programs.reverse,
            "f_reverse",
            "reverse mode, gradient of ".to_string() + &out,
            reverse,
        ),
    ] {
        text += "\n\n# ";
        text += &what;
        match code {
            Ok(c) => {
                text += "\n";
                text += &c
                    .text
                    .replacen("def g(", &("def ".to_string() + fname + "("), 1);
                prints += &("print(\"".to_string()
                    + &what
                    + ":\", _show("
                    + fname
                    + "("
                    + &call
                    + ")))  # the page: "
                    + &page
                    + "\n");
            }
            Err(why) => {
                text += ": no program (";
                text += why;
                text += ")\n";
            }
        }
    }
    text + "\n\n" + &prints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::graph::{limits, GraphState};
    use crate::lab::program::{ProgramState, LOGISTIC};

    fn session(src: &str) -> Session {
        GraphState::from_program(ProgramState::new(src, &[], limits()))
            .session()
            .expect("a session")
    }

    #[test]
    fn csv_has_every_node_and_full_precision() {
        let s = session("def f(x=1.0):\n  return log(1 + x**2) / x\n");
        let text = csv(&s);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + s.graph().len());
        assert_eq!(lines[0], "node,operation,primal,tangent d/dx,adjoint df/dv");
        assert!(
            lines
                .last()
                .unwrap()
                .contains(",0.6931471805599453,0.3068528194400547,1"),
            "{text}"
        );
    }

    #[test]
    fn latex_is_balanced_and_in_the_lectures_notation() {
        let s = session("def f(x=3.0, y=2.0):\n  return y * x**2\n");
        let text = latex(&s);
        assert_eq!(text.matches("\\begin{tabular}").count(), 1);
        assert_eq!(text.matches("\\end{tabular}").count(), 1);
        assert_eq!(text.matches('{').count(), text.matches('}').count());
        assert_eq!(text.matches('$').count() % 2, 0);
        assert!(
            text.contains("$v_{1}$ & $x^{2}$ & $9$ & $6$ & $2$ \\\\\n"),
            "{text}"
        );
        assert!(
            text.contains("$v_{2}$ & $y \\cdot v_{1}$ & $18$ & $12$ & $1$ \\\\\n"),
            "{text}"
        );
        assert!(text.contains("$y$ & input & $2$ & $0$ & $9$"), "{text}");
    }

    /// An array program's trace in LaTeX: a row per node drawn, small arrays as bracketed matrices, a large one
    /// named by its shape; balanced braces and dollars.
    #[test]
    fn array_latex_is_a_row_per_node_with_matrices() {
        let src = "import numpy as np\ndef f(W=np.array([[1.0, 3.0], [0.0, 2.0]]), x=np.array([3.0, 1.0]), \
                   z=np.ones(20)):\n  h = W @ x\n  return np.sum(h * h) + np.sum(z)\n";
        let p = ProgramState::new_in(src, &[], limits(), true);
        let s = ArraySession::new(p.traced.as_ref().unwrap(), 0).unwrap();
        let text = array_latex(&s);
        assert_eq!(text.matches("\\begin{tabular}").count(), 1);
        assert_eq!(text.matches("\\end{tabular}").count(), 1);
        assert_eq!(text.matches('{').count(), text.matches('}').count());
        assert_eq!(text.matches('$').count() % 2, 0);
        assert_eq!(text.matches("\\\\\n").count(), 1 + s.order.len(), "{text}");
        assert!(
            text.contains("tangent $\\dot v$ along \\texttt{W[0,0]}"),
            "{text}"
        );
        assert!(
            text.contains("$v_{0}$ & \\texttt{W} & $2 \\times 2$ & $\\left[\\begin{smallmatrix}1 & 3 \\\\ 0 & 2\\end{smallmatrix}\\right]$ & $\\left[\\begin{smallmatrix}1 & 0 \\\\ 0 & 0\\end{smallmatrix}\\right]$ & $\\left[\\begin{smallmatrix}36 & 12 \\\\ 12 & 4\\end{smallmatrix}\\right]$ \\\\\n"),
            "{text}"
        );
        assert!(
            text.contains("\\texttt{z} & $20$ & (shape (20,): see the CSV)"),
            "{text}"
        );
    }

    #[test]
    fn tikz_and_svg_draw_every_node_and_edge() {
        let s = session("def f(x=3.0, y=2.0):\n  return y * x**2\n");
        let t = tikz(&s);
        assert_eq!(t.matches("\\node (").count(), 4);
        assert_eq!(t.matches("\\draw[->]").count(), 3);
        assert_eq!(t.matches('{').count(), t.matches('}').count());
        let v = svg(&s);
        assert_eq!(v.matches("<rect x=").count(), 4);
        assert_eq!(v.matches("<text x=").count(), 4);
        assert_eq!(v.matches("<polyline").count(), 3);
        assert!(v.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        // A graph too large to draw has no drawing to export (and no panic).
        let big = GraphState::from_program(ProgramState::new(
            "def f(x, n=2000):\n  v = x\n  for i in range(n):\n    v = sin(v)\n  return v\n",
            &[],
            limits(),
        ))
        .session()
        .unwrap();
        assert!(big.sketch.layout.is_err());
        assert!(!tikz(&big).contains("\\node") && !svg(&big).contains("<rect x="));
    }

    #[test]
    fn python_file_names_the_page_numbers() {
        let s = GraphState::from_example(&LOGISTIC).session().unwrap();
        let py = python(&s);
        assert!(
            py.contains("def f_forward(") && py.contains("def f_reverse("),
            "{py}"
        );
        assert!(py.contains("# the page: 0.75\n"), "{py}");
        assert!(py.contains("# the page: -16\n"), "{py}");
        assert!(
            !py.contains("grad("),
            "the lines after the function are not exported: {py}"
        );
    }
}

/// An array program's trace as CSV: one row per node drawn — its name, operation and shape, then its value, its
/// tangent along the forward seed and its adjoint, each a numpy literal at full precision (quoted: they hold commas).
pub fn array_csv(s: &ArraySession) -> String {
    let quoted = |a: &Array| "\"".to_string() + &fmt_literal(a) + "\"";
    let mut text =
        "node,operation,shape,value,tangent d/d".to_string() + &s.wrt_name + ",adjoint df/dv\r\n";
    for &k in &s.order {
        let n = &s.graph().nodes[k];
        let shape: Vec<String> = n.shape.iter().map(|d| d.to_string()).collect();
        text += &("v".to_string() + &k.to_string());
        text += ",";
        let op = &s.labels[k];
        text += &if op.contains([',', '"']) {
            "\"".to_string() + &op.replace('"', "\"\"") + "\""
        } else {
            op.clone()
        };
        text += ",";
        text += &shape.join("x");
        text += ",";
        text += &quoted(&s.values[k]);
        text += ",";
        text += &quoted(&s.tangents[k]);
        text += ",";
        text += &s.adjoints[k].as_ref().map_or(String::new(), quoted);
        text += "\r\n";
    }
    text
}

/// What an exported numpy program defines first: IEEE arithmetic without warnings, numbers printed as the page
/// prints them.
const ARRAY_PRELUDE: &str = r#"import numpy as np
np.seterr(all="ignore")
def _show(v):  # as the page prints numbers: every digit needed, no exponent, row by row
    return " ".join("NaN" if x != x else np.format_float_positional(np.float64(x), unique=True, trim="-") for x in np.ravel(v))
"#;

/// An array program with its forward- and reverse-mode programs as a Python file: run with `python3` and numpy, it
/// prints the value, the tangent along the forward seed and the gradient of the seed's input, each beside the page's
/// numbers (numpy sums in another order: they agree to rounding). The program's imports are commented out (numpy
/// stands for autograd's); the lines after the function are left out; scikit-learn's `load_diabetes` is defined from
/// the data AD Lab ships when the program calls it, so that the file runs without scikit-learn.
pub fn array_python(s: &ArraySession) -> String {
    let t = &s.traced;
    let g = s.graph();
    let (name, end) = match &t.syntax {
        Program::Def { name, after, .. } => (
            name.as_str(),
            after
                .first()
                .map_or(t.source.len(), |st| st.span.start as usize),
        ),
        Program::Script(_) => ("f", t.source.len()),
    };
    let mut program = String::new();
    for line in t.source.get(..end).unwrap_or(&t.source).lines() {
        let code = line.trim_start();
        if code.starts_with("import ") || code.starts_with("from ") {
            program += "# ";
        }
        program += line;
        program += "\n";
    }
    let show = |a: &Array| {
        a.data
            .iter()
            .map(|&x| fmt_full(x))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let call: Vec<String> = g
        .inputs
        .iter()
        .map(|i| i.name.clone() + "=" + &fmt_literal(&i.value))
        .collect();
    let out = g.output().index();
    let mut text = "# AD Lab, graph lab: a numpy program and its derivative programs, at its point.\n\
                    # Run with python3 and numpy; each line it prints holds numbers the page shows (to rounding: numpy sums \
                    in another order).\n\n"
        .to_string()
        + ARRAY_PRELUDE;
    if t.source.contains("load_diabetes") {
        if let Ok((x, y)) = crate::base::diabetes::raw() {
            let rows: Vec<String> = (0..y.len())
                .map(|i| {
                    let mut r: Vec<String> = x[i * 10..i * 10 + 10]
                        .iter()
                        .map(|&v| crate::base::num::fmt_python(v))
                        .collect();
                    r.push(crate::base::num::fmt_python(y[i]));
                    "[".to_string() + &r.join(", ") + "]"
                })
                .collect();
            text += "\n# scikit-learn's diabetes data, raw (442 patients: 10 features, then the target), as AD Lab ships it.\n\
                     _DIABETES = np.array([";
            text += &rows.join(",\n  ");
            text += "])\ndef load_diabetes(return_X_y=True, scaled=False):\n    return _DIABETES[:, :10].copy(), \
                     _DIABETES[:, 10].copy()\n";
        }
    }
    text += "\n\n# The program.\n";
    text += &program;
    let mut prints = "print(\"value:\", _show(".to_string()
        + name
        + "("
        + &call.join(", ")
        + ")))  # the page: "
        + &show(&s.values[out])
        + "\n";
    let (fwd_text, _) = s.forward_code();
    let input = s.code_input();
    for (code, what, call, page) in [
        (
            Some(fwd_text),
            "forward mode, d/d".to_string() + &s.wrt_name,
            "jvp()".to_string(),
            show(&s.tangents[out]),
        ),
        (
            s.code().map(|(text, _)| text),
            "reverse mode, the gradient of ".to_string() + &g.inputs[input].name,
            "grad_".to_string() + &g.inputs[input].name + "()",
            s.adjoints[g.inputs[input].node.index()]
                .as_ref()
                .map_or(String::new(), show),
        ),
    ] {
        text += "\n\n# ";
        text += &what;
        match code {
            Some(c) if !c.is_empty() => {
                text += "\n";
                text += &c.replace("import numpy as np\n\n", "");
                prints += &("print(\"".to_string()
                    + &what
                    + ":\", _show("
                    + &call
                    + "))  # the page: "
                    + &page
                    + "\n");
            }
            _ => text += ": not written out for this program (see the page)\n",
        }
    }
    text + "\n\n" + &prints
}
