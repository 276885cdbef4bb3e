//! Turns program text into tokens, Python style: `NEWLINE` ends a logical line, `INDENT`/`DEDENT` mark blocks, and
//! line breaks inside brackets are ignored.

use crate::base::source::{Error, Result, Span};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i64),
    Float(f64),
    /// Punctuation and operators, e.g. `**`, `+=`, `(`.
    Sym(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Longest first, so `**=` wins over `**` and `*`.
const SYMBOLS: &[&str] = &[
    "**=", "//=", "**", "//", "%=", "+=", "-=", "*=", "/=", "==", "!=", "<=", ">=", "->", "+", "-",
    "*", "/", "^", "(", ")", "[", "]", ",", ":", "=", ".", "%", "<", ">", ";", "@", "{", "}", "&",
    "|", "~", "!",
];

/// Deepest indentation we accept; deeper programs are certainly mistakes and would only cost stack later.
const MAX_INDENT_DEPTH: usize = 64;

pub fn tokenize(src: &str) -> Result<Vec<Token>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut indents: Vec<usize> = vec![0];
    let mut depth = 0usize; // bracket nesting
    let mut i = 0;
    let mut at_line_start = true;

    while i < bytes.len() {
        if at_line_start && depth == 0 {
            // Measure indentation; blank and comment-only lines do not count.
            let line_start = i;
            let mut width = 0;
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                width += if bytes[i] == b'\t' { 8 - width % 8 } else { 1 };
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
            match bytes[i] {
                b'\n' | b'\r' | b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            at_line_start = false;
            let here = Span::new(line_start, i);
            let current = *indents.last().unwrap_or(&0);
            if width > current {
                if indents.len() > MAX_INDENT_DEPTH {
                    return Err(Error::new(here, "blocks are nested too deeply"));
                }
                indents.push(width);
                out.push(Token {
                    tok: Tok::Indent,
                    span: Span::new(i, i),
                });
            } else if width < current {
                while indents.last().is_some_and(|&w| w > width) {
                    indents.pop();
                    out.push(Token {
                        tok: Tok::Dedent,
                        span: Span::new(i, i),
                    });
                }
                if indents.last() != Some(&width) {
                    return Err(Error::new(
                        Span::new(i, i + 1),
                        "this line's indentation does not match any enclosing block",
                    ));
                }
            }
            continue;
        }

        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'\n' => {
                if depth == 0 {
                    push_newline(&mut out, i);
                    at_line_start = true;
                }
                i += 1;
            }
            b'0'..=b'9' => i = number(src, i, &mut out)?,
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = number(src, i, &mut out)?
            }
            _ if c == b'_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Name(src[start..i].to_string()),
                    span: Span::new(start, i),
                });
            }
            b'"' | b'\'' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                    i += 1;
                }
                return Err(Error::new(
                    Span::new(start, i),
                    "strings are not part of the language here",
                ));
            }
            _ => {
                let rest = &src[i..];
                let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                    let ch = rest.chars().next().unwrap_or('?');
                    let hint = match ch {
                        '×' | '·' => " (write `*` for multiplication)",
                        '−' | '–' => " (write `-` for minus)",
                        '÷' => " (write `/` for division)",
                        '²' => " (write `**2` for a square)",
                        _ => "",
                    };
                    return Err(Error::new(
                        Span::new(i, i + ch.len_utf8()),
                        format!("unexpected character `{ch}`{hint}"),
                    ));
                };
                match *sym {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(Token {
                    tok: Tok::Sym(sym),
                    span: Span::new(i, i + sym.len()),
                });
                i += sym.len();
            }
        }
    }
    push_newline(&mut out, src.len());
    let end = Span::new(src.len(), src.len());
    for _ in 1..indents.len() {
        out.push(Token {
            tok: Tok::Dedent,
            span: end,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: end,
    });
    Ok(out)
}

fn push_newline(out: &mut Vec<Token>, at: usize) {
    if out
        .last()
        .is_some_and(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
    {
        out.push(Token {
            tok: Tok::Newline,
            span: Span::new(at, at),
        });
    }
}

/// Python number literals: `4`, `1_000`, `1.`, `.5`, `1e-7`, `2.5E+3`.
fn number(src: &str, start: usize, out: &mut Vec<Token>) -> Result<usize> {
    let bytes = src.as_bytes();
    let mut i = start;
    let mut is_float = false;
    let digits = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i].is_ascii_digit() || bytes[*i] == b'_') {
            *i += 1;
        }
    };
    digits(&mut i);
    if i < bytes.len() && bytes[i] == b'.' {
        is_float = true;
        i += 1;
        digits(&mut i);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            is_float = true;
            i = j;
            digits(&mut i);
        } else {
            return Err(Error::new(
                Span::new(start, j),
                "this number's exponent has no digits",
            ));
        }
    }
    if i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphabetic()) {
        let mut j = i;
        while j < bytes.len() && (bytes[j] == b'_' || bytes[j].is_ascii_alphanumeric()) {
            j += 1;
        }
        return Err(Error::new(
            Span::new(start, j),
            format!(
                "`{}` is not a number (write `*` between a number and a name)",
                &src[start..j]
            ),
        ));
    }
    let span = Span::new(start, i);
    let text: String = src[start..i].chars().filter(|&c| c != '_').collect();
    let tok =
        if is_float {
            Tok::Float(
                crate::base::decimal::parse(&text)
                    .ok_or_else(|| Error::new(span, "malformed number"))?,
            )
        } else {
            Tok::Int(text.parse().map_err(|_| {
                Error::new(span, "this integer is too large (the limit is 2⁶³ − 1)")
            })?)
        };
    out.push(Token { tok, span });
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_and_operators() {
        use Tok::*;
        assert_eq!(
            toks("y*x**2 + 1e-7 - .5"),
            vec![
                Name("y".into()),
                Sym("*"),
                Name("x".into()),
                Sym("**"),
                Int(2),
                Sym("+"),
                Float(1e-7),
                Sym("-"),
                Float(0.5),
                Newline,
                Eof
            ]
        );
    }

    #[test]
    fn blocks_become_indent_and_dedent() {
        use Tok::*;
        let t = toks("def f(x):\n  for i in range(2):\n    x = x\n\n  # note\n  return x\n");
        assert_eq!(t.iter().filter(|t| **t == Indent).count(), 2);
        assert_eq!(t.iter().filter(|t| **t == Dedent).count(), 2);
    }

    #[test]
    fn brackets_join_lines() {
        let t = toks("(x +\n  y)");
        assert_eq!(t.iter().filter(|t| **t == Tok::Newline).count(), 1);
    }

    #[test]
    fn bad_dedent_is_reported() {
        let e = tokenize("def f(x):\n    v = x\n  return v\n").unwrap_err();
        assert_eq!(
            e.span.line_col("def f(x):\n    v = x\n  return v\n").line,
            3
        );
    }

    #[test]
    fn huge_integer_is_an_error_not_a_panic() {
        assert!(tokenize("99999999999999999999999").is_err());
        assert!(tokenize("2x").is_err());
        assert!(tokenize("1e").is_err());
    }
}
