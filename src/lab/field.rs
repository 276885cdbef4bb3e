//! A number field as typed: the text kept exactly as the user wrote it, the last value that passed its check, and
//! the check's message while the text does not pass. Every chapter's settings (h, N, ρ, T, …) are one of these, and
//! so is reading them from a permalink.
//!
//! ```
//! use ad_lab::lab::field::{positive, Field};
//! let h = Field::new(1e-7, "1e-7");
//! let typed = h.edit("0", positive);
//! assert_eq!((typed.value, typed.error.is_some()), (1e-7, true)); // still using the last good value
//! assert_eq!(typed.edit("1e-3", positive).value, 1e-3);
//! ```

use crate::base::num::{fmt_count, parse_f64};
use crate::base::url::Location;

/// A check: the value the text means, or what is wrong with it.
pub type Check<T> = fn(&str) -> Result<T, String>;

#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub text: String,
    /// The last value that passed the check (what the chapter computes with).
    pub value: T,
    /// Set while `text` does not pass.
    pub error: Option<String>,
}

impl<T: Clone> Field<T> {
    pub fn new(value: T, text: impl Into<String>) -> Field<T> {
        Field {
            text: text.into(),
            value,
            error: None,
        }
    }

    /// The field after the user typed `text`: a value that passes replaces the old one; one that does not keeps it
    /// and says why.
    pub fn edit(&self, text: impl Into<String>, check: Check<T>) -> Field<T> {
        let text = text.into();
        match check(&text) {
            Ok(value) => Field {
                text,
                value,
                error: None,
            },
            Err(e) => Field {
                text,
                value: self.value.clone(),
                error: Some(e),
            },
        }
    }

    /// The field a permalink's `key` describes; a value that does not pass is reported in `notices` and the field
    /// keeps its default.
    pub fn from_link(
        self,
        loc: &Location,
        key: &str,
        check: Check<T>,
        notices: &mut Vec<String>,
    ) -> Field<T> {
        match loc.get(key) {
            None => self,
            Some(text) => match check(text) {
                Ok(value) => Field::new(value, text),
                Err(e) => {
                    notices.push(link_notice(key, text, &e, &self.text));
                    self
                }
            },
        }
    }
}

fn link_notice(key: &str, text: &str, e: &str, using: &str) -> String {
    format!("`{key}={text}`: {e}; using {using}")
}

/// A positive finite number (a step h, a learning rate).
pub fn positive(text: &str) -> Result<f64, String> {
    positive_named(text, "it", "0.01")
}

/// [`positive`], its messages naming the field: `h must be positive`.
pub fn positive_named(text: &str, name: &str, example: &str) -> Result<f64, String> {
    match parse_f64(text) {
        None => Err(format!("{name} must be a number, e.g. {example}")),
        Some(x) if x.is_nan() || x <= 0.0 => Err(format!("{name} must be positive")),
        Some(x) if !x.is_finite() => Err(format!("{name} must be finite")),
        Some(x) => Ok(x),
    }
}

/// A finite number, of any sign.
pub fn finite(text: &str) -> Result<f64, String> {
    match parse_f64(text) {
        Some(x) if x.is_finite() => Ok(x),
        Some(_) => Err("it must be a finite number".into()),
        None => Err("a number is needed".into()),
    }
}

/// A whole number in `lo..=hi`, with a message that says the range.
pub fn whole_in(text: &str, lo: i64, hi: i64, what: &str) -> Result<i64, String> {
    let range = || {
        format!(
            "{what} must be a whole number from {} to {}",
            fmt_count(lo.max(0) as u64),
            fmt_count(hi.max(0) as u64)
        )
    };
    match text.trim().replace(['_', ','], "").parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        Ok(n) if n > hi => Err(format!("{what} is at most {}", fmt_count(hi.max(0) as u64))),
        Ok(_) => Err(format!("{what} must be at least {lo}")),
        Err(_) => match parse_f64(text) {
            Some(x) if x > hi as f64 => {
                Err(format!("{what} is at most {}", fmt_count(hi.max(0) as u64)))
            }
            _ => Err(range()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_keeps_the_last_good_one_and_says_why() {
        let f = Field::new(2.0, "2");
        let g = f.edit("-1", positive);
        assert_eq!((g.value, g.text.as_str()), (2.0, "-1"));
        assert!(g.error.as_deref().unwrap().contains("positive"));
        let g = g.edit("abc", positive);
        assert!(g.error.is_some());
        let g = g.edit("0.5", positive);
        assert_eq!((g.value, g.error), (0.5, None));
    }

    #[test]
    fn links_fall_back_with_a_notice() {
        let mut notices = Vec::new();
        let loc = Location::parse("#/x?h=-3&k=0.25");
        let h = Field::new(1e-7, "1e-7").from_link(&loc, "h", positive, &mut notices);
        assert_eq!(h.value, 1e-7);
        assert_eq!(notices.len(), 1);
        assert!(notices[0].starts_with("`h=-3`"));
        let k = Field::new(1.0, "1").from_link(&loc, "k", positive, &mut notices);
        assert_eq!((k.value, k.text.as_str()), (0.25, "0.25"));
    }

    #[test]
    fn whole_numbers_say_their_range() {
        let n = |t: &str| whole_in(t, 1, 30, "N");
        assert_eq!(n("12"), Ok(12));
        assert!(n("0").unwrap_err().contains("at least 1"));
        assert!(n("1000000").unwrap_err().contains("at most 30"));
        assert!(n("1e9").unwrap_err().contains("at most 30"));
        assert!(n("2.5").unwrap_err().contains("whole number"));
    }
}
