//! Hash routes and their query state: `#/graph?f=<program>&in.x=2&mode=reverse`.
//!
//! Pure string handling, so permalinks are tested natively. Decoding never fails: a malformed escape keeps its text
//! and is reported, so the chapter can fall back and say so.

/// A parsed location hash.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    /// The path after `#`, e.g. `/grad` (`/` for the contents page).
    pub path: String,
    /// Query pairs in order, decoded.
    pub query: Vec<(String, String)>,
    /// Pieces that could not be decoded cleanly (shown in the chapter's notice).
    pub problems: Vec<String>,
}

impl Location {
    pub fn parse(hash: &str) -> Location {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let mut path = percent_decode(path).unwrap_or_else(|_| path.to_string());
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let mut loc = Location {
            path,
            query: Vec::new(),
            problems: Vec::new(),
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key = match percent_decode(k) {
                Ok(k) => k,
                Err(e) => {
                    loc.problems
                        .push(format!("a parameter name could not be read ({e})"));
                    continue;
                }
            };
            match percent_decode(v) {
                Ok(v) => loc.query.push((key, v)),
                Err(e) => loc
                    .problems
                    .push(format!("`{key}` could not be read ({e})")),
            }
        }
        loc
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `in.x=2` pairs as (name, value text).
    pub fn prefixed<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.query
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|n| (n, v.as_str())))
    }
}

/// Builds `#/path?k=v&…`, percent-encoding values.
pub fn build(path: &str, query: &[(String, String)]) -> String {
    let mut s = format!("#{path}");
    for (i, (k, v)) in query.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(&percent_encode(k));
        s.push('=');
        s.push_str(&percent_encode(v));
    }
    s
}

/// Encodes everything but unreserved characters (RFC 3986) and a few that read well in a URL bar.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'*'
            | b'('
            | b')'
            | b','
            | b':' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as forms do).
pub fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => out.push(b),
                    None => return Err(format!("a broken escape at character {}", i + 1)),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "the text is not valid UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let program = "def f(x, n=4):\n  v = x\n  return v ** 2 + 1  # 50% & more";
        let url = build(
            "/graph",
            &[("f".into(), program.into()), ("in.x".into(), "0.25".into())],
        );
        assert!(
            !url[1..].contains('#') && !url.contains(' ') && !url.contains('\n'),
            "{url}"
        );
        let loc = Location::parse(&url);
        assert_eq!(loc.path, "/graph");
        assert_eq!(loc.get("f"), Some(program));
        assert_eq!(loc.prefixed("in.").collect::<Vec<_>>(), vec![("x", "0.25")]);
        assert!(loc.problems.is_empty());
    }

    #[test]
    fn mangled_input_is_reported_not_fatal() {
        let loc = Location::parse("#/grad?f=x%2&in.x=%E2%28&h=1e-7&&=&junk");
        assert_eq!(loc.path, "/grad");
        assert_eq!(loc.problems.len(), 2);
        assert_eq!(loc.get("h"), Some("1e-7"));
        assert_eq!(loc.get("f"), None);
        let loc = Location::parse("");
        assert_eq!(loc.path, "/");
        let loc = Location::parse("#graph");
        assert_eq!(loc.path, "/graph");
    }
}
