//! Deciding whether a live request is a recorded one.

use std::fmt;

use crate::format::{Body, RecordedRequest};

/// Why a recorded request does not match the live one: the field and a short description.
///
/// ```
/// use clevertim_fixtures::Mismatch;
/// let why = Mismatch::new("accept", r#"recorded "application/json", sent "text/html""#);
/// assert_eq!(why.to_string(), r#"accept differs: recorded "application/json", sent "text/html""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The field that differs, e.g. `path`, `query`, `body`.
    pub field: String,
    /// What differs, e.g. `recorded "/api/contact/4", sent "/api/contact/5"`.
    pub detail: String,
}

impl Mismatch {
    /// A mismatch of `field`, described by `detail`.
    ///
    /// ```
    /// let why = clevertim_fixtures::Mismatch::new("path", "recorded \"/api/a\", sent \"/api/b\"");
    /// assert_eq!(why.field, "path");
    /// ```
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Mismatch {
            field: field.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} differs: {}", self.field, self.detail)
    }
}

/// Compares a live request (`sent`, scrubbed like the cassette) with a `recorded` one.
///
/// Returns what did not match, not a bare bool, so that an unmatched request can be explained.
/// A closure `Fn(&RecordedRequest, &RecordedRequest) -> Result<(), Mismatch>` is a matcher.
///
/// ```
/// use clevertim_fixtures::{Matcher, Mismatch, RecordedRequest};
/// // Requests must agree on the `accept` header too.
/// let accept = |sent: &RecordedRequest, recorded: &RecordedRequest| {
///     let (a, b) = (sent.headers.get("accept"), recorded.headers.get("accept"));
///     if a == b { Ok(()) } else { Err(Mismatch::new("accept", format!("recorded {b:?}, sent {a:?}"))) }
/// };
/// # fn takes(_: impl Matcher) {}
/// takes(accept);
/// ```
pub trait Matcher: Send + Sync {
    /// `Ok(())` when `sent` matches `recorded` as far as this matcher is concerned.
    ///
    /// # Errors
    ///
    /// The [`Mismatch`] that says what differs, shown when no recorded interaction matches.
    fn check(&self, sent: &RecordedRequest, recorded: &RecordedRequest) -> Result<(), Mismatch>;
}

impl<F> Matcher for F
where
    F: Fn(&RecordedRequest, &RecordedRequest) -> Result<(), Mismatch> + Send + Sync,
{
    fn check(&self, sent: &RecordedRequest, recorded: &RecordedRequest) -> Result<(), Mismatch> {
        self(sent, recorded)
    }
}

/// The default matchers: method, path, query as an unordered multiset, body by value.
///
/// ```
/// use bytes::Bytes;
/// use clevertim_fixtures::{DefaultMatcher, Matcher, RecordedRequest};
/// let request = |uri: &str| {
///     RecordedRequest::from_http(&http::Request::get(uri).body(Bytes::new()).unwrap())
/// };
/// let (sent, recorded) = (request("/api/x?b=2&a=1"), request("/api/x?a=1&b=2"));
/// assert!(DefaultMatcher::ALL.iter().all(|m| m.check(&sent, &recorded).is_ok()));
/// let other = request("/api/y?a=1&b=2");
/// assert_eq!(DefaultMatcher::Path.check(&sent, &other).unwrap_err().field, "path");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DefaultMatcher {
    /// The HTTP method, exactly.
    Method,
    /// The path, exactly.
    Path,
    /// The query pairs, in any order (a repeated pair must be repeated as often).
    Query,
    /// JSON bodies by value (key order and whitespace ignored); other bodies byte for byte.
    Body,
}

impl DefaultMatcher {
    /// All of them, in the order they are checked.
    ///
    /// ```
    /// use clevertim_fixtures::DefaultMatcher;
    /// assert_eq!(DefaultMatcher::ALL.len(), 4);
    /// ```
    pub const ALL: [DefaultMatcher; 4] = [
        DefaultMatcher::Method,
        DefaultMatcher::Path,
        DefaultMatcher::Query,
        DefaultMatcher::Body,
    ];
}

impl Matcher for DefaultMatcher {
    fn check(&self, sent: &RecordedRequest, recorded: &RecordedRequest) -> Result<(), Mismatch> {
        match self {
            DefaultMatcher::Method if sent.method != recorded.method => Err(Mismatch::new(
                "method",
                format!("recorded {}, sent {}", recorded.method, sent.method),
            )),
            DefaultMatcher::Path if sent.path != recorded.path => Err(Mismatch::new(
                "path",
                format!("recorded {:?}, sent {:?}", recorded.path, sent.path),
            )),
            DefaultMatcher::Query if sent.sorted_query() != recorded.sorted_query() => {
                Err(Mismatch::new(
                    "query",
                    format!(
                        "recorded {}, sent {}",
                        show_query(&recorded.query),
                        show_query(&sent.query)
                    ),
                ))
            }
            DefaultMatcher::Body if !same_body(&sent.body, &recorded.body) => Err(Mismatch::new(
                "body",
                format!(
                    "recorded {}, sent {}",
                    recorded.body.short(80),
                    sent.body.short(80)
                ),
            )),
            _ => Ok(()),
        }
    }
}

fn show_query(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return "(none)".to_owned();
    }
    query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// JSON by value (a `Value` compares maps regardless of key order); the rest by bytes.
fn same_body(a: &Body, b: &Body) -> bool {
    match (a, b) {
        (Body::Json(a), Body::Json(b)) => a == b,
        _ => a.to_bytes().ok() == b.to_bytes().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, path: &str, query: &[(&str, &str)], body: &[u8]) -> RecordedRequest {
        RecordedRequest {
            method: method.into(),
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            headers: Default::default(),
            body: Body::from_bytes(body),
        }
    }

    fn check_all(a: &RecordedRequest, b: &RecordedRequest) -> Result<(), Mismatch> {
        DefaultMatcher::ALL.iter().try_for_each(|m| m.check(a, b))
    }

    #[test]
    fn json_bodies_ignore_key_order_and_whitespace() {
        let a = req("POST", "/x", &[], br#"{"a":1,"b":{"c":[1,2]}}"#);
        let b = req(
            "POST",
            "/x",
            &[],
            b"{ \"b\" : {\"c\": [1, 2]},\n \"a\": 1 }",
        );
        assert_eq!(check_all(&a, &b), Ok(()));
        let c = req("POST", "/x", &[], br#"{"a":1,"b":{"c":[2,1]}}"#);
        assert_eq!(check_all(&a, &c).unwrap_err().field, "body");
    }

    #[test]
    fn query_is_an_unordered_multiset() {
        let a = req("GET", "/x", &[("a", "1"), ("b", "2")], b"");
        let b = req("GET", "/x", &[("b", "2"), ("a", "1")], b"");
        assert_eq!(check_all(&a, &b), Ok(()));
        let c = req("GET", "/x", &[("a", "1"), ("b", "2"), ("b", "2")], b"");
        let err = check_all(&a, &c).unwrap_err();
        assert_eq!(err.field, "query");
        assert_eq!(err.detail, "recorded a=1&b=2&b=2, sent a=1&b=2");
    }

    #[test]
    fn method_and_path_are_exact_and_reported() {
        let a = req("GET", "/x/1", &[], b"");
        let err = check_all(&a, &req("DELETE", "/x/1", &[], b"")).unwrap_err();
        assert_eq!(err.to_string(), "method differs: recorded DELETE, sent GET");
        let err = check_all(&a, &req("GET", "/x/2", &[], b"")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"path differs: recorded "/x/2", sent "/x/1""#
        );
    }

    #[test]
    fn text_bodies_compare_bytes() {
        let a = req("POST", "/x", &[], b"hello");
        assert_eq!(check_all(&a, &req("POST", "/x", &[], b"hello")), Ok(()));
        assert!(check_all(&a, &req("POST", "/x", &[], b"hello ")).is_err());
    }
}
