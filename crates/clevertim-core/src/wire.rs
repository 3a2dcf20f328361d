//! The wire protocol in one place: URLs, request headers, the envelope and status codes.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request, StatusCode, Uri};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, Result, ValidationError};
use crate::key::Id;
use crate::session::ApiKey;

/// The longest excerpt of an unexpected body quoted in an error.
const EXCERPT_CHARS: usize = 160;

static JSON: HeaderValue = HeaderValue::from_static("application/json");
static AGENT: HeaderValue =
    HeaderValue::from_static(concat!("clevertim-rust/", env!("CARGO_PKG_VERSION")));

/// Everything a request needs that does not change between requests: built once per session.
#[derive(Clone)]
pub(crate) struct Wire {
    /// The endpoint without a trailing slash, e.g. `https://www.clevertim.com/api`.
    base: String,
    /// `Basic base64(KEY:X)`, marked sensitive.
    auth: HeaderValue,
    api_key: ApiKey,
}

impl Wire {
    pub(crate) fn new(endpoint: &str, api_key: ApiKey, allow_insecure_http: bool) -> Result<Self> {
        let base = endpoint.trim_end_matches('/').to_owned();
        let uri: Uri = base
            .parse()
            .map_err(|e| Error::Config(format!("endpoint {endpoint:?} is not a URL: {e}")))?;
        match (uri.scheme_str(), uri.authority()) {
            (Some("http" | "https"), Some(_)) => {}
            _ => {
                return Err(Error::Config(format!(
                    "endpoint {endpoint:?} must be an absolute http:// or https:// URL"
                )))
            }
        }
        if uri.query().is_some() || base.contains('#') {
            return Err(Error::Config(format!(
                "endpoint {endpoint:?} must not have a query or a fragment"
            )));
        }
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(Error::Config(
                "the endpoint must not carry credentials (user:password@): the API key is the \
                 only credential"
                    .into(),
            ));
        }
        if uri.scheme_str() == Some("http") && !is_loopback(uri.host().unwrap_or_default()) {
            if !allow_insecure_http {
                return Err(Error::Config(format!(
                    "endpoint {endpoint:?} is plain http to a host that is not loopback: the API \
                     key would travel unencrypted; use https, or opt in with \
                     `.allow_insecure_http()`"
                )));
            }
            tracing::warn!(
                endpoint = %base,
                "plain http to a host that is not loopback (allowed): the API key travels unencrypted"
            );
        }
        let auth = api_key.basic_auth_header()?;
        Ok(Wire {
            base,
            auth,
            api_key,
        })
    }

    pub(crate) fn endpoint(&self) -> &str {
        &self.base
    }

    /// A request for `method` on `/{path}` or `/{path}/{id}`, with the JSON body if any.
    pub(crate) fn request(
        &self,
        method: Method,
        path: &'static str,
        id: Option<&Id>,
        body: Option<Bytes>,
    ) -> Result<Request<Bytes>> {
        let uri = match id {
            None => format!("{}/{path}", self.base),
            Some(id) => {
                let id = id.to_string();
                if matches!(id.as_str(), "" | "." | "..") {
                    // These would name the collection or a parent path, not an object.
                    return Err(ValidationError::new(path, "id", id, "is not an object key").into());
                }
                let id = percent_encoding::utf8_percent_encode(&id, SEGMENT);
                format!("{}/{path}/{id}", self.base)
            }
        };
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, JSON.clone())
            .header(USER_AGENT, AGENT.clone());
        if body.is_some() {
            builder = builder.header(CONTENT_TYPE, JSON.clone());
        }
        builder
            .body(body.unwrap_or_default())
            .map_err(|e| Error::Config(format!("cannot build a request for /{path}: {e}")))
    }

    /// The objects of a successful answer (empty for a `DELETE`), or the error it carries.
    ///
    /// Each object is a slice of `body`: no copy is made.
    pub(crate) fn decode(
        &self,
        status: StatusCode,
        body: &Bytes,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<Vec<Bytes>> {
        match serde_json::from_slice::<Envelope<'_>>(body) {
            Ok(envelope) => match envelope.status.as_deref() {
                Some("OK") if status.is_success() => Ok(envelope
                    .content
                    .unwrap_or_default()
                    .into_iter()
                    .map(|raw| body.slice_ref(raw.get().as_bytes()))
                    .collect()),
                Some("ERROR") => {
                    let message = envelope.error.unwrap_or_else(|| "(no error text)".into());
                    Err(self.status_error(status, message, resource, id))
                }
                _ if !status.is_success() => {
                    Err(self.status_error(status, self.excerpt(body), resource, id))
                }
                other => Err(self.malformed(
                    status,
                    "an envelope with status OK or ERROR",
                    body,
                    other.map(|s| format!("status is {s:?}")),
                )),
            },
            Err(_) if !status.is_success() => {
                Err(self.status_error(status, self.excerpt(body), resource, id))
            }
            Err(e) => Err(self.malformed(
                status,
                "a JSON envelope {\"status\", \"content\"}",
                body,
                Some(e.to_string()),
            )),
        }
    }

    fn status_error(
        &self,
        status: StatusCode,
        message: String,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Error {
        let message = self.api_key.scrub(&message);
        match status {
            StatusCode::UNAUTHORIZED => Error::Authentication { message },
            StatusCode::FORBIDDEN => Error::Permission { message },
            StatusCode::NOT_FOUND => Error::NotFound {
                resource,
                key: id.map(Id::to_string).unwrap_or_default(),
            },
            StatusCode::NOT_IMPLEMENTED => Error::Unsupported { message },
            _ => Error::Api {
                status: status.as_u16(),
                message,
                retry_after: None,
            },
        }
    }

    /// An error for an answer that is not what the SDK expected.
    pub(crate) fn malformed(
        &self,
        status: StatusCode,
        expected: &str,
        body: &[u8],
        detail: Option<String>,
    ) -> Error {
        Error::MalformedResponse {
            status: status.as_u16(),
            expected: expected.to_owned(),
            excerpt: self.excerpt(body),
            detail: detail.map(|d| self.api_key.scrub(&d)),
        }
    }

    /// The start of `body` as text, with the API key scrubbed.
    fn excerpt(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return "(empty body)".to_owned();
        }
        // Scrub before cutting, over enough text that a key running across the cut is whole:
        // cutting first would leave the key's first characters in the excerpt.
        let text = String::from_utf8_lossy(body);
        let margin = 2 * self.api_key.expose_secret().len() + 16;
        let head: String = text.chars().take(EXCERPT_CHARS + margin).collect();
        let scrubbed = self.api_key.scrub(&head);
        let mut excerpt: String = scrubbed.chars().take(EXCERPT_CHARS).collect();
        if scrubbed.chars().nth(EXCERPT_CHARS).is_some()
            || text.chars().nth(head.chars().count()).is_some()
        {
            excerpt.push('…');
        }
        excerpt
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The characters escaped in a path segment (an id).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `{"status": "OK", "content": [...]}` or `{"status": "ERROR", "error": "..."}`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<Vec<&'a RawValue>>,
    error: Option<String>,
}
