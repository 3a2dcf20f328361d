//! What goes out: the endpoint checked once, then each request's URL, headers and body.

use std::fmt::Write as _;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, Request, Uri};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Protocol;
use crate::error::{Error, Result, ValidationError};
use crate::key::Id;
use crate::model::Resource;
use crate::model::codec::{WireFields, WriteMode};
use crate::session::ApiKey;

static JSON: HeaderValue = HeaderValue::from_static("application/json");
static AGENT: HeaderValue =
    HeaderValue::from_static(concat!("clevertim-rust/", env!("CARGO_PKG_VERSION")));

impl Protocol {
    /// Checks `endpoint` once: an absolute http(s) URL without a query, a fragment or
    /// credentials, and plain http only to loopback unless `allow_insecure_http`.
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
                )));
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
        let origin = crate::model::Origin::new(&base, &api_key);
        Ok(Protocol {
            base,
            auth,
            api_key,
            origin,
        })
    }

    /// The endpoint without a trailing slash.
    pub(crate) fn endpoint(&self) -> &str {
        &self.base
    }

    /// The endpoint and account of this session's objects.
    pub(crate) fn origin(&self) -> &crate::model::Origin {
        &self.origin
    }

    /// A request for `method` on `/{path}` or `/{path}/{id}`, with the JSON body if any.
    ///
    /// Built in place, not through `http::request::Builder`: every part but the URL is
    /// known to be valid, so only the URL is checked (this runs for every request).
    pub(crate) fn request(
        &self,
        method: Method,
        path: &'static str,
        id: Option<&Id>,
        body: Option<Bytes>,
    ) -> Result<Request<Bytes>> {
        let mut uri = String::with_capacity(self.base.len() + path.len() + 24);
        uri.push_str(&self.base);
        uri.push('/');
        uri.push_str(path);
        match id {
            None => {}
            // Digits need no escaping, and no number names a parent path.
            Some(Id::Int(n)) => {
                // Writing into a `String` cannot fail.
                let _ = write!(uri, "/{n}");
            }
            Some(Id::Str(id)) => {
                if matches!(&**id, "" | "." | "..") {
                    // These would name the collection or a parent path, not an object.
                    return Err(
                        ValidationError::new(path, "id", &**id, "is not an object key").into(),
                    );
                }
                uri.push('/');
                uri.extend(percent_encoding::utf8_percent_encode(id, SEGMENT));
            }
        }
        let uri = Uri::try_from(uri)
            .map_err(|e| Error::Config(format!("cannot build a request for /{path}: {e}")))?;
        let has_body = body.is_some();
        let mut request = Request::new(body.unwrap_or_default());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.reserve(4);
        headers.insert(AUTHORIZATION, self.auth.clone());
        headers.insert(ACCEPT, JSON.clone());
        headers.insert(USER_AGENT, AGENT.clone());
        if has_body {
            headers.insert(CONTENT_TYPE, JSON.clone());
        }
        Ok(request)
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

/// The body of a `POST` (`mode` create) or a `PUT` (update) of `object`.
pub(crate) fn write_body<R: Resource>(object: &R, mode: WriteMode) -> Result<Vec<u8>> {
    serde_json::to_vec(&WriteBody(object, mode))
        .map_err(|e| Error::Config(format!("cannot encode the {}: {e}", R::PATH)))
}

struct WriteBody<'a, R>(&'a R, WriteMode);

impl<R: WireFields> Serialize for WriteBody<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.0.write_fields(&mut map, self.1)?;
        map.end()
    }
}
