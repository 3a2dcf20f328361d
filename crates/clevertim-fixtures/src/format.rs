//! The cassette file format: interactions, requests, responses and bodies.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// The newest cassette format this crate writes and reads.
///
/// ```
/// # fn check(file: &clevertim_fixtures::CassetteFile) {
/// assert!(file.format_version <= clevertim_fixtures::FORMAT_VERSION);
/// # }
/// ```
pub const FORMAT_VERSION: u32 = 1;

/// A whole cassette file, as stored on disk; read one with [`CassetteFile::read`].
///
/// ```
/// use clevertim_fixtures::CassetteFile;
/// let file: CassetteFile = serde_json::from_str(r#"{
///     "format_version": 1,
///     "recorded_with": "clevertim-fixtures 0.1.0",
///     "interactions": [{
///         "request": {"method": "GET", "path": "/api/contact/4"},
///         "response": {"status": 200, "body": {"json": {"status": "OK", "content": []}}}
///     }]
/// }"#)?;
/// assert_eq!(file.interactions[0].request.to_string(), "GET /api/contact/4");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CassetteFile {
    /// The format of the file; see [`FORMAT_VERSION`].
    pub format_version: u32,
    /// What recorded it, e.g. `clevertim-fixtures 0.1.0`.
    pub recorded_with: String,
    /// The recorded exchanges, in the order they were recorded.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
}

/// One recorded exchange: a request and the answer it got. A
/// [`before_save`](crate::CassetteBuilder::before_save) hook may change it before it is kept.
///
/// ```
/// use clevertim_fixtures::{Body, Cassette, Interaction};
/// let builder = Cassette::builder("tests/fixtures/x.json").before_save(|i: &mut Interaction| {
///     // A value that changes on every recording would make each one a different file.
///     if let Body::Json(body) = &mut i.response.body {
///         body["requestId"] = serde_json::json!("<id>");
///     }
/// });
/// # let _ = builder;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// What the client sent (scrubbed of secrets).
    pub request: RecordedRequest,
    /// What the server answered (scrubbed of secrets).
    pub response: RecordedResponse,
}

/// A request as stored in a cassette, or as returned by
/// [`Cassette::sent_requests`](crate::Cassette::sent_requests).
///
/// The host and scheme are not kept, so a cassette recorded against one endpoint replays
/// against any other.
///
/// ```
/// use bytes::Bytes;
/// use clevertim_fixtures::RecordedRequest;
/// let request = http::Request::post("https://www.clevertim.com/api/contact?x=a%20b")
///     .header("authorization", "Basic S0VZOlg=")
///     .body(Bytes::from(r#"{"fn":"Mike"}"#))?;
/// let kept = RecordedRequest::from_http(&request);
/// assert_eq!((kept.path.as_str(), &kept.query[0].1[..]), ("/api/contact", "a b"));
/// assert_eq!(kept.headers["authorization"], clevertim_fixtures::AUTH_PLACEHOLDER);
/// assert_eq!(kept.to_string(), r#"POST /api/contact?x=a b body: {"fn":"Mike"}"#);
/// # Ok::<(), http::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The path as sent (still percent-encoded), e.g. `/api/contact/4`.
    pub path: String,
    /// The query's pairs, percent-decoded, in the order sent.
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// The headers kept (lower-case names). In a cassette: only those that matter
    /// (`content-type`, `accept` by default); never `authorization`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body; omitted when empty.
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub body: Body,
}

/// A response as stored in a cassette.
///
/// ```
/// use clevertim_fixtures::{Body, RecordedResponse};
/// let stored = RecordedResponse {
///     status: 404,
///     headers: [("content-type".to_owned(), "text/plain".to_owned())].into(),
///     body: Body::Text("no such contact".into()),
/// };
/// let replayed = stored.to_http()?;
/// assert_eq!((replayed.status().as_u16(), &replayed.body()[..]), (404, &b"no such contact"[..]));
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The headers kept (lower-case names; `content-type` by default).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body; omitted when empty.
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub body: Body,
}

/// A body, stored in the most readable form that keeps its meaning:
/// `{"json": …}` when it parses as JSON, `{"text": "…"}` when it is UTF-8, `{"base64": "…"}`
/// otherwise.
///
/// A JSON body is replayed re-serialised compactly (the same value, maybe not the same bytes).
///
/// ```
/// use clevertim_fixtures::Body;
/// assert_eq!(Body::from_bytes(br#"{ "b": 1, "a": 2 }"#), Body::Json(serde_json::json!({"a": 2, "b": 1})));
/// assert_eq!(Body::from_bytes(b"plain"), Body::Text("plain".into()));
/// assert_eq!(Body::from_bytes(&[0xff, 0x00]), Body::Base64("/wA=".into()));
/// assert_eq!(Body::from_bytes(br#"{"a": [1, 2]}"#).to_bytes().unwrap(), &br#"{"a":[1,2]}"#[..]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// A JSON document, stored as data.
    Json(serde_json::Value),
    /// UTF-8 text that is not JSON (the empty body is `Text("")`).
    Text(String),
    /// Anything else, base64-encoded (standard alphabet, padded).
    Base64(String),
}

impl Default for Body {
    fn default() -> Self {
        Body::Text(String::new())
    }
}

impl Body {
    /// The stored form of `bytes`.
    ///
    /// ```
    /// use clevertim_fixtures::Body;
    /// assert_eq!(Body::from_bytes(b""), Body::Text(String::new()));
    /// assert_eq!(Body::from_bytes(b"[1]"), Body::Json(serde_json::json!([1])));
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::default();
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            return Body::Json(value);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Body::Text(text.to_owned()),
            Err(_) => Body::Base64(base64::engine::general_purpose::STANDARD.encode(bytes)),
        }
    }

    /// The bytes to replay; JSON is serialised compactly.
    ///
    /// # Errors
    ///
    /// A description of the problem when a base64 body is not valid base64.
    ///
    /// ```
    /// use clevertim_fixtures::Body;
    /// assert_eq!(Body::Base64("/wA=".into()).to_bytes()?, &[0xff, 0x00][..]);
    /// assert!(Body::Base64("!!".into()).to_bytes().is_err());
    /// # Ok::<(), String>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Bytes, String> {
        match self {
            Body::Json(value) => serde_json::to_vec(value)
                .map(Bytes::from)
                .map_err(|e| e.to_string()),
            Body::Text(text) => Ok(Bytes::from(text.clone())),
            Body::Base64(data) => base64::engine::general_purpose::STANDARD
                .decode(data)
                .map(Bytes::from)
                .map_err(|e| format!("invalid base64 body: {e}")),
        }
    }

    /// Whether this is the empty body.
    ///
    /// ```
    /// assert!(clevertim_fixtures::Body::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Text(t) if t.is_empty())
    }

    /// A one-line summary of at most about `max` characters, for error messages.
    ///
    /// ```
    /// let body = clevertim_fixtures::Body::Text("z".repeat(500));
    /// assert_eq!(body.short(5), "\"zzzz…");
    /// ```
    pub fn short(&self, max: usize) -> String {
        let full = match self {
            Body::Json(value) => value.to_string(),
            Body::Text(text) => format!("{text:?}"),
            Body::Base64(data) => format!("<{} base64 chars>", data.len()),
        };
        if full.chars().count() <= max {
            full
        } else {
            let cut: String = full.chars().take(max).collect();
            format!("{cut}…")
        }
    }
}

impl RecordedRequest {
    /// The request as kept: method, path, decoded query, every header (lower-case names;
    /// `authorization` reduced to [`AUTH_PLACEHOLDER`](crate::AUTH_PLACEHOLDER)) and body.
    ///
    /// Secrets are not scrubbed here; the cassette does that.
    ///
    /// ```
    /// use bytes::Bytes;
    /// let request = http::Request::get("https://h/api/task?b=2&a=1").body(Bytes::new())?;
    /// let kept = clevertim_fixtures::RecordedRequest::from_http(&request);
    /// assert_eq!(kept.to_string(), "GET /api/task?b=2&a=1");
    /// # Ok::<(), http::Error>(())
    /// ```
    pub fn from_http(request: &http::Request<Bytes>) -> RecordedRequest {
        let uri = request.uri();
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = if name == http::header::AUTHORIZATION {
                    crate::AUTH_PLACEHOLDER.to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        RecordedRequest {
            method: request.method().as_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().map(parse_query).unwrap_or_default(),
            headers,
            body: Body::from_bytes(request.body()),
        }
    }

    /// The query pairs sorted, for order-independent comparison.
    ///
    /// ```
    /// use bytes::Bytes;
    /// let request = http::Request::get("https://h/api/task?b=2&a=1").body(Bytes::new())?;
    /// let kept = clevertim_fixtures::RecordedRequest::from_http(&request);
    /// assert_eq!(kept.sorted_query()[0], ("a".to_owned(), "1".to_owned()));
    /// # Ok::<(), http::Error>(())
    /// ```
    pub fn sorted_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        query.sort();
        query
    }
}

impl fmt::Display for RecordedRequest {
    /// `METHOD /path?k=v body` with the body cut short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        for (i, (k, v)) in self.query.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { '?' } else { '&' })?;
        }
        if !self.body.is_empty() {
            write!(f, " body: {}", self.body.short(120))?;
        }
        Ok(())
    }
}

impl RecordedResponse {
    /// The HTTP response to replay.
    ///
    /// # Errors
    ///
    /// A description of the problem on an invalid status, header or base64 body.
    ///
    /// ```
    /// use clevertim_fixtures::{Body, RecordedResponse};
    /// let stored = RecordedResponse { status: 204, headers: Default::default(), body: Body::default() };
    /// assert_eq!(stored.to_http()?.status(), 204);
    /// # Ok::<(), String>(())
    /// ```
    pub fn to_http(&self) -> Result<http::Response<Bytes>, String> {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder
            .body(self.body.to_bytes()?)
            .map_err(|e| format!("invalid response (status {}): {e}", self.status))
    }

    /// The response as kept: status, the headers named in `keep` (lower-case) and body.
    pub(crate) fn from_http(response: &http::Response<Bytes>, keep: &[String]) -> Self {
        RecordedResponse {
            status: response.status().as_u16(),
            headers: keep_headers(response.headers(), keep),
            body: Body::from_bytes(response.body()),
        }
    }
}

/// The headers named in `keep` (lower-case), never `authorization`.
pub(crate) fn keep_headers(headers: &http::HeaderMap, keep: &[String]) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter(|(name, _)| {
            *name != http::header::AUTHORIZATION && keep.iter().any(|k| k == name.as_str())
        })
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Splits and percent-decodes a query string (`+` is a space).
fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_split_and_decoded() {
        assert_eq!(
            parse_query("b=2&a=x%20y&flag&c=d+e"),
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x y".into()),
                ("flag".into(), String::new()),
                ("c".into(), "d e".into()),
            ]
        );
    }

    #[test]
    fn bodies_serialise_tagged_and_empty_is_omitted() {
        let req = RecordedRequest {
            method: "GET".into(),
            path: "/x".into(),
            query: vec![],
            headers: BTreeMap::new(),
            body: Body::default(),
        };
        let text = serde_json::to_string(&req).unwrap();
        assert!(!text.contains("body"), "{text}");
        let json = serde_json::to_value(Body::from_bytes(b"[1]")).unwrap();
        assert_eq!(json, serde_json::json!({"json": [1]}));
        let b64 = serde_json::to_value(Body::from_bytes(&[0xfe])).unwrap();
        assert_eq!(b64, serde_json::json!({"base64": "/g=="}));
    }

    #[test]
    fn binary_bodies_round_trip() {
        let bytes = [0u8, 159, 146, 150, 255];
        assert_eq!(Body::from_bytes(&bytes).to_bytes().unwrap(), &bytes[..]);
        assert!(Body::Base64("!!".into()).to_bytes().is_err());
    }

    #[test]
    fn display_is_short_and_has_the_query() {
        let mut req = RecordedRequest::from_http(
            &http::Request::builder()
                .method("POST")
                .uri("https://h/api/x?a=1&b=2")
                .header("authorization", "Basic c2VjcmV0Olg=")
                .body(Bytes::from("y".repeat(500)))
                .unwrap(),
        );
        assert_eq!(req.headers["authorization"], crate::AUTH_PLACEHOLDER);
        let shown = req.to_string();
        assert!(
            shown.starts_with("POST /api/x?a=1&b=2 body: \"yyy"),
            "{shown}"
        );
        assert!(shown.len() < 200, "{shown}");
        req.body = Body::default();
        assert_eq!(req.to_string(), "POST /api/x?a=1&b=2");
    }
}
