//! Source positions and the errors that point at them.
//!
//! Every error the core reports about a program carries a [`Span`] (byte offsets into the source). The UI turns it
//! into `line L, column C` (1-based, columns counted in characters) with [`Span::line_col`].

use std::fmt;

/// A half-open byte range `start..end` in the program text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(self, src: &str) -> LineCol {
        let start = (self.start as usize).min(src.len());
        let mut line = 1;
        let mut line_start = 0;
        for (i, b) in src.bytes().enumerate().take(start) {
            if b == b'\n' {
                line += 1;
                line_start = i + 1;
            }
        }
        // `start` may fall inside a multi-byte character only if a span was built wrongly; count safely anyway.
        let column = src
            .get(line_start..start)
            .map_or(start - line_start, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }

    /// The source text under the span (empty if the span is out of range).
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// A 1-based position for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Something wrong with a program: where, and what.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub span: Span,
    pub message: String,
}

impl Error {
    pub fn new(span: Span, message: impl Into<String>) -> Error {
        Error {
            span,
            message: message.into(),
        }
    }

    /// `line L, column C: message`, the form the editor shows.
    pub fn render(&self, src: &str) -> String {
        format!("{}: {}", self.span.line_col(src), self.message)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let src = "ab\n  λx = 1\n";
        assert_eq!(
            Span::new(0, 1).line_col(src),
            LineCol { line: 1, column: 1 }
        );
        assert_eq!(
            Span::new(3, 4).line_col(src),
            LineCol { line: 2, column: 1 }
        );
        let x = src.find('x').unwrap();
        assert_eq!(
            Span::new(x, x + 1).line_col(src),
            LineCol { line: 2, column: 4 }
        );
        assert_eq!(Span::new(99, 100).line_col(src).line, 3);
    }
}
