//! The lecture's notation in running text: `$…$` spans written in a small subset of TeX become presentation MathML,
//! the rest is text. Used for the slides' captions and notes, which quote the lecture's formulas
//! (`$\nabla G(x) = \nabla \ell(x_N) J_{N-1} \times \dots \times J_0$`).
//!
//! The subset: letters (one letter is an identifier in italics, a run of letters such as `log` an upright name),
//! numbers, operators and brackets, `_` and `^` with one character or a `{…}` group, `\frac{a}{b}`, `\sqrt{a}`,
//! `\text{…}`, `\mathbf{x}`, `\|`, the spaces `\,` `\;` `\enspace`, and named symbols (`\nabla`, `\ell`, `\lambda`,
//! `\sum`, `\simeq`, …). Anything else is shown as it was written: the converter never fails.
//!
//! ```
//! use ad_lab::base::tex::to_html;
//! assert_eq!(to_html("x$_N$"), "x<math><msub><mrow></mrow><mi>N</mi></msub></math>");
//! assert_eq!(to_html("a < b"), "a &lt; b");
//! assert_eq!(to_html("$x$."), "<span class=\"nw\"><math><mi>x</mi></math>.</span>");
//! ```

use super::formula::escape;

/// Text with `$…$` math spans as HTML: text escaped, each span a `<math>` element.
pub fn to_html(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('$') {
        out.push_str(&escape(&rest[..open]));
        let after = &rest[open + 1..];
        match after.find('$') {
            Some(close) => {
                // Punctuation right after a formula stays on its line.
                let tail = &after[close + 1..];
                let punct = tail
                    .find(|c: char| !matches!(c, '.' | ',' | ';' | ':' | '?' | '!' | ')'))
                    .unwrap_or(tail.len());
                let math = format!("<math>{}</math>", to_mathml(&after[..close]));
                if punct > 0 {
                    out.push_str(&format!(
                        "<span class=\"nw\">{math}{}</span>",
                        escape(&tail[..punct])
                    ));
                } else {
                    out.push_str(&math);
                }
                rest = &tail[punct..];
            }
            None => {
                // An unclosed `$` is a dollar sign.
                out.push_str(&escape(&rest[open..]));
                rest = "";
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

/// The text with its math spans written out plainly (for `aria-label`s, titles and the speaker's notes in a window
/// title): `$J_{N-1}$` reads `J_{N-1}` → `JN−1`.
pub fn to_plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '{' | '}' | '_' | '^' => {}
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    if let Some(n) = chars.next() {
                        out.push_str(match n {
                            '|' => "‖",
                            ',' | ';' | ' ' => " ",
                            _ => "",
                        });
                    }
                } else if let Some(sym) = symbol(&name) {
                    out.push_str(sym.1);
                } else if !matches!(
                    name.as_str(),
                    "frac" | "sqrt" | "text" | "mathbf" | "mathbb" | "enspace" | "quad"
                ) {
                    out.push_str(&name);
                } else if name == "enspace" || name == "quad" {
                    out.push(' ');
                }
            }
            '-' => out.push('−'),
            _ => out.push(c),
        }
    }
    out
}

/// A named symbol: (MathML element, character).
fn symbol(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "alpha" => ("mi", "α"),
        "beta" => ("mi", "β"),
        "gamma" => ("mi", "γ"),
        "delta" => ("mi", "δ"),
        "epsilon" | "varepsilon" => ("mi", "ε"),
        "eta" => ("mi", "η"),
        "theta" => ("mi", "θ"),
        "lambda" => ("mi", "λ"),
        "mu" => ("mi", "μ"),
        "rho" => ("mi", "ρ"),
        "sigma" => ("mi", "σ"),
        "tau" => ("mi", "τ"),
        "ell" => ("mi", "ℓ"),
        "Delta" => ("mi", "Δ"),
        "nabla" => ("mo", "∇"),
        "partial" => ("mo", "∂"),
        "sum" => ("mo", "∑"),
        "prod" => ("mo", "∏"),
        "times" => ("mo", "×"),
        "cdot" => ("mo", "·"),
        "dots" | "ldots" | "cdots" => ("mo", "…"),
        "simeq" => ("mo", "≃"),
        "approx" => ("mo", "≈"),
        "le" | "leq" => ("mo", "≤"),
        "ge" | "geq" => ("mo", "≥"),
        "ne" | "neq" => ("mo", "≠"),
        "to" | "rightarrow" => ("mo", "→"),
        "leftarrow" | "gets" => ("mo", "←"),
        "in" => ("mo", "∈"),
        "infty" => ("mi", "∞"),
        "top" => ("mi", "⊤"),
        "min" | "max" | "argmin" | "arg" | "log" | "exp" | "sin" | "cos" | "tanh" => {
            return Some(("mi", name_static(name)));
        }
        _ => return None,
    })
}

fn name_static(name: &str) -> &'static str {
    match name {
        "min" => "min",
        "max" => "max",
        "argmin" => "argmin",
        "arg" => "arg",
        "log" => "log",
        "exp" => "exp",
        "sin" => "sin",
        "cos" => "cos",
        _ => "tanh",
    }
}

/// A math span's content as MathML (without the `<math>` element).
pub fn to_mathml(tex: &str) -> String {
    let chars: Vec<char> = tex.chars().collect();
    let mut p = Parser { s: &chars, i: 0 };
    p.row(None)
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    /// Atoms up to `end` (a closing brace) or the end of the span.
    fn row(&mut self, end: Option<char>) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == end {
                break;
            }
            let base = self.atom();
            out.push_str(&self.scripts(base));
        }
        out
    }

    /// `{…}` or one atom.
    fn group(&mut self) -> String {
        match self.peek() {
            Some('{') => {
                self.i += 1;
                let inner = self.row(Some('}'));
                if self.peek() == Some('}') {
                    self.i += 1;
                }
                format!("<mrow>{inner}</mrow>")
            }
            Some(_) => self.atom(),
            None => "<mrow></mrow>".into(),
        }
    }

    /// Subscripts and superscripts after a base.
    fn scripts(&mut self, base: String) -> String {
        let (mut sub, mut sup) = (None, None);
        loop {
            match self.peek() {
                Some('_') if sub.is_none() => {
                    self.i += 1;
                    sub = Some(self.group());
                }
                Some('^') if sup.is_none() => {
                    self.i += 1;
                    sup = Some(self.group());
                }
                _ => break,
            }
        }
        let big = base.contains(">∑<") || base.contains(">∏<");
        match (sub, sup) {
            (None, None) => base,
            (Some(b), None) if big => format!("<munder>{base}{b}</munder>"),
            (Some(b), None) => format!("<msub>{base}{b}</msub>"),
            (None, Some(p)) => format!("<msup>{base}{p}</msup>"),
            (Some(b), Some(p)) if big => format!("<munderover>{base}{b}{p}</munderover>"),
            (Some(b), Some(p)) => format!("<msubsup>{base}{b}{p}</msubsup>"),
        }
    }

    fn atom(&mut self) -> String {
        let Some(c) = self.peek() else {
            return String::new();
        };
        self.i += 1;
        match c {
            ' ' => String::new(),
            // A script with nothing before it (`x$_N$` in running text) attaches to an empty base.
            '_' | '^' => {
                self.i -= 1;
                String::from("<mrow></mrow>")
            }
            '{' => {
                self.i -= 1;
                self.group()
            }
            '}' => String::new(),
            '\\' => self.command(),
            '0'..='9' | '.' => {
                let mut n = String::from(c);
                while let Some(d) = self.peek() {
                    if d.is_ascii_digit() || (d == '.' && n.chars().all(|x| x != '.')) {
                        n.push(d);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                format!("<mn>{n}</mn>")
            }
            c if c.is_alphabetic() && c.is_ascii() => {
                let mut word = String::from(c);
                while let Some(d) = self.peek() {
                    if d.is_ascii_alphabetic() {
                        word.push(d);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                if word.chars().count() == 1 {
                    format!("<mi>{word}</mi>")
                } else {
                    format!("<mi mathvariant=\"normal\">{word}</mi>")
                }
            }
            c if c.is_ascii_alphabetic() || matches!(c, 'α'..='ω' | 'Α'..='Ω') => {
                format!("<mi>{}</mi>", escape(&c.to_string()))
            }
            '-' => "<mo>−</mo>".into(),
            '\'' => "<mo>′</mo>".into(),
            c => format!("<mo>{}</mo>", escape(&c.to_string())),
        }
    }

    fn command(&mut self) -> String {
        let mut name = String::new();
        while let Some(d) = self.peek() {
            if d.is_ascii_alphabetic() {
                name.push(d);
                self.i += 1;
            } else {
                break;
            }
        }
        if name.is_empty() {
            let Some(c) = self.peek() else {
                return "<mo>\\</mo>".into();
            };
            self.i += 1;
            return match c {
                '|' => "<mo>‖</mo>".into(),
                ',' => "<mspace width=\"0.17em\"></mspace>".into(),
                ';' | ' ' => "<mspace width=\"0.28em\"></mspace>".into(),
                '{' | '}' => format!("<mo>{c}</mo>"),
                c => format!("<mo>{}</mo>", escape(&c.to_string())),
            };
        }
        match name.as_str() {
            "frac" => {
                let (a, b) = (self.group(), self.group());
                format!("<mfrac>{a}{b}</mfrac>")
            }
            "sqrt" => format!("<msqrt>{}</msqrt>", self.group()),
            "text" | "mathrm" => {
                let t = self.raw_group();
                format!("<mtext>{}</mtext>", escape(&t))
            }
            "mathbb" => {
                let t = self.raw_group();
                let m: String = t
                    .chars()
                    .map(|c| match c {
                        'R' => 'ℝ',
                        'N' => 'ℕ',
                        'Z' => 'ℤ',
                        'Q' => 'ℚ',
                        'C' => 'ℂ',
                        c => c,
                    })
                    .collect();
                format!("<mi mathvariant=\"normal\">{}</mi>", escape(&m))
            }
            "mathbf" => {
                let t = self.raw_group();
                format!("<mi mathvariant=\"bold\">{}</mi>", escape(&t))
            }
            "enspace" | "quad" => "<mspace width=\"1em\"></mspace>".into(),
            _ => match symbol(&name) {
                Some((el, sym)) if sym.chars().count() > 1 => {
                    format!("<{el} mathvariant=\"normal\">{sym}</{el}>")
                }
                Some((el, sym)) => format!("<{el}>{sym}</{el}>"),
                None => format!("<mtext>\\{}</mtext>", escape(&name)),
            },
        }
    }

    /// The characters of a `{…}` group as they are (for `\text`).
    fn raw_group(&mut self) -> String {
        if self.peek() != Some('{') {
            return self.peek().map_or(String::new(), |c| {
                self.i += 1;
                c.to_string()
            });
        }
        self.i += 1;
        let mut t = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == '}' {
                break;
            }
            t.push(c);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lectures_notation() {
        assert_eq!(
            to_mathml("J_{N-1}"),
            "<msub><mi>J</mi><mrow><mi>N</mi><mo>−</mo><mn>1</mn></mrow></msub>"
        );
        assert_eq!(
            to_mathml("x_{n+1} = g_n(x_n)"),
            "<msub><mi>x</mi><mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo>\
             <msub><mi>g</mi><mi>n</mi></msub><mo>(</mo><msub><mi>x</mi><mi>n</mi></msub><mo>)</mo>"
        );
        assert_eq!(
            to_mathml("\\frac{1}{n}\\sum_{i=1}^n"),
            "<mfrac><mrow><mn>1</mn></mrow><mrow><mi>n</mi></mrow></mfrac>\
             <munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover>"
        );
        assert_eq!(
            to_mathml("\\|X\\beta - y\\|^2"),
            "<mo>‖</mo><mi>X</mi><mi>β</mi><mo>−</mo><mi>y</mi><msup><mo>‖</mo><mn>2</mn></msup>"
        );
        assert_eq!(
            to_mathml("X_\\text{test}"),
            "<msub><mi>X</mi><mtext>test</mtext></msub>"
        );
        assert_eq!(
            to_mathml("\\log x"),
            "<mi mathvariant=\"normal\">log</mi><mi>x</mi>"
        );
        assert_eq!(
            to_mathml("f'_4"),
            "<mi>f</mi><msub><mo>′</mo><mn>4</mn></msub>"
        );
        assert_eq!(to_plain("$J_{N-1}$ and $\\nabla_\\rho$"), "JN−1 and ∇ρ");
        assert_eq!(
            to_mathml("\\mathbb{R}^n"),
            "<msup><mi mathvariant=\"normal\">ℝ</mi><mi>n</mi></msup>"
        );
    }

    /// Whatever is written, the converter returns (no panic, no runaway), and never lets markup through.
    #[test]
    fn malformed_input_is_shown_not_fatal() {
        for s in [
            "$",
            "$$",
            "$x_$",
            "$x^{$",
            "$\\frac{a$",
            "$\\$",
            "$}}}{{{$",
            "$\\unknown{x}$",
            "$<b>$",
            "$_^_^$",
            "$\\text{<i>}$",
            "a $ b",
            "$x_{_{_{_{}}}}$",
            "$\\mathbf$",
        ] {
            let h = to_html(s);
            assert!(!h.contains("<b>") && !h.contains("<i>"), "{s}: {h}");
            let _ = to_plain(s);
        }
        assert_eq!(to_html("costs $5"), "costs $5");
    }
}
