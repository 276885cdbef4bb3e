//! The architecture test: the crate's layers import only downward.
//!
//! Every `.rs` file under `src/` belongs to the layer named by its top-level module (`src/lab/graph/session.rs` is in
//! `lab`). Every path it names — `use crate::…`, `crate::x::y` in code, `crate::{a, b}` groups, and `super::…` chains
//! that climb out of the layer — must lead to its own layer or one listed before it in [`LAYERS`]. A new top-level
//! module fails the test until it is given its place here (and in `ARCHITECTURE.md`). A file's unit tests (from the
//! `#[cfg(test)]` line at the start of a line, by convention at the bottom) may use any layer.

use std::fs;
use std::path::{Path, PathBuf};

/// Bottom to top: a layer may import from itself and from the layers before it.
const LAYERS: &[&str] = &[
    "base",      // ops and their rules, formula trees, math, numbers, spans, the address
    "lang",      // lexer, parser, lowering, the graph, compiled programs
    "ad", // evaluation, forward/reverse mode, traces, dual numbers, tape, Taylor, Hessians, arrays
    "symbolic", // symbolic differentiation and simplification
    "transform", // derivative programs
    "layout", // graph drawing geometry
    "lab", // chapter models
    "figures", // plots on any plotters backend
    "ui", // the Yew front end (wasm only)
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// An import that points up, or at a module with no place in the list.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The module path of a file relative to `src/`: `lab/graph/session.rs` → `[lab, graph, session]`, `lab/mod.rs` →
/// `[lab]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" && stem != "main" {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn is_ident(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// The top-level modules a line of code names through `crate::` (including `crate::{a::…, b}` groups), and through
/// `super::` chains that climb to the crate root.
fn targets(code: &str, module: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..].iter().collect();
        let boundary = i == 0 || !is_ident(bytes[i - 1]);
        if boundary && rest.starts_with("crate::") {
            let after = &rest["crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // Top-level items of the group, up to the matching brace.
                let mut depth = 1;
                let mut item = String::new();
                let mut at_start = true;
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        ',' if depth == 1 => {
                            at_start = true;
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 1 && at_start {
                        if is_ident(c) {
                            item.push(c);
                        } else if !item.is_empty() {
                            out.push(std::mem::take(&mut item));
                            at_start = false;
                        }
                    }
                }
                if !item.is_empty() {
                    out.push(item);
                }
            } else {
                let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
            i += "crate::".len();
            continue;
        }
        if boundary && rest.starts_with("super::") {
            let mut ups = 0;
            let mut j = i;
            while text[char_offset(&bytes, j)..].starts_with("super::") {
                ups += 1;
                j += "super::".len();
            }
            if ups >= module.len() {
                // Climbed to the crate root: the next name is a top-level module.
                let name: String = bytes[j..].iter().take_while(|&&c| is_ident(c)).collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

fn char_offset(chars: &[char], k: usize) -> usize {
    chars[..k].iter().map(|c| c.len_utf8()).sum()
}

/// The code of a line without its comment (`//` outside a string literal).
fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut prev = ' ';
    for (k, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '/' if !in_str && prev == '/' => return &line[..k - 1],
            _ => {}
        }
        prev = c;
    }
    line
}

fn check_file(rel: &Path, text: &str) -> Vec<Violation> {
    let module = module_path(rel);
    let Some(layer) = module.first() else {
        return Vec::new(); // lib.rs and main.rs are the crate root: they may name every layer.
    };
    let mut out = Vec::new();
    let Some(own) = rank(layer) else {
        out.push(Violation {
            file: rel.display().to_string(),
            line: 0,
            from: layer.clone(),
            to: "(this module has no place in LAYERS)".into(),
        });
        return out;
    };
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("#[cfg(test)]") {
            break; // the unit tests at the bottom of a file may use any layer to check this one
        }
        for target in targets(strip_comment(line), &module) {
            let ok = rank(&target).is_some_and(|r| r <= own);
            if !ok {
                out.push(Violation {
                    file: rel.display().to_string(),
                    line: n + 1,
                    from: layer.clone(),
                    to: target,
                });
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn layers_import_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found the sources");
    let mut violations = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        if rel.starts_with("bin") {
            continue; // other binaries: they see the crate from outside, as `ad_lab::…`
        }
        violations.extend(check_file(rel, &fs::read_to_string(f).unwrap()));
    }
    let report: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "{}:{}: `{}` imports `{}`, which is not below it",
                v.file, v.line, v.from, v.to
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "upward imports (layers, bottom to top: {}):\n{}",
        LAYERS.join(" ← "),
        report.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || name == "main" || name == "bin" {
            continue; // the crate root and the entry points (`src/bin/*` use the crate as a library)
        }
        assert!(rank(&name).is_some(), "src/{name} has no place in LAYERS");
    }
}

/// The checker itself: it sees upward imports in every form, and lets downward ones through.
#[test]
fn the_checker_finds_upward_imports() {
    let p = Path::new;
    assert!(check_file(p("base/op.rs"), "use crate::base::formula::Expr;").is_empty());
    assert!(check_file(
        p("lab/grad.rs"),
        "use crate::ad::eval;\nuse crate::lang::Graph;"
    )
    .is_empty());
    let v = check_file(p("ad/eval.rs"), "use crate::lab::Shared;");
    assert_eq!((v.len(), v[0].to.as_str(), v[0].line), (1, "lab", 1));
    let v = check_file(
        p("lang/lower.rs"),
        "fn f() {\n  crate::symbolic::dag::Dag::new();\n}",
    );
    assert_eq!((v.len(), v[0].line), (1, 2));
    let v = check_file(
        p("base/num.rs"),
        "use crate::{base::op, ui::dom, lang::{graph, parser}};",
    );
    let to: Vec<&str> = v.iter().map(|v| v.to.as_str()).collect();
    assert_eq!(to, ["ui", "lang"]);
    let v = check_file(
        p("ad/trace/rules.rs"),
        "use super::super::super::figures::x;",
    );
    assert_eq!(v[0].to, "figures");
    assert!(check_file(p("ad/trace/rules.rs"), "use super::super::eval;").is_empty());
    assert!(
        check_file(p("base/op.rs"), "// see crate::ui::dom for how it is shown").is_empty(),
        "comments are not imports"
    );
    assert!(!check_file(p("newlayer/x.rs"), "").is_empty());
    assert!(
        check_file(
            p("lang/lower.rs"),
            "fn f() {}\n#[cfg(test)]\nmod tests { use crate::ad::eval; }"
        )
        .is_empty(),
        "unit tests may use any layer"
    );
}
