//! Where a request went: [`RequestSite`], and a transport failure told with it.

use crate::transport::TransportErrorKind;

/// The request an error happened to: method, path, host and how many times it was tried. A
/// session marks every [`TransportError`](crate::TransportError) it returns with one
/// ([`TransportError::site`](crate::TransportError::site)), and every error the server
/// answered ([`Error::site`](crate::Error::site) reads either); it never holds the API key
/// (that travels in a header).
///
/// ```
/// use clevertim::{transport_fn, Contact, Error, Session, TransportError, TransportErrorKind};
/// use clevertim::bytes::Bytes;
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let offline = transport_fn(|_: http::Request<Bytes>| async move {
///     let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
///     Err(TransportError::with_source(TransportErrorKind::Connect, refused))
/// });
/// let session = Session::builder("KEY")
///     .endpoint("http://127.0.0.1:9/api")
///     .transport(offline)
///     .retry(clevertim::RetryPolicy::none())
///     .build()?;
/// let error = session.load::<Contact>(4).await.unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "GET /api/contact/4 to 127.0.0.1:9: could not connect: connection refused",
/// );
/// let Error::Transport(failure) = &error else { panic!("{error:?}") };
/// let site = failure.site().expect("sent by a session");
/// assert_eq!((site.method(), site.path(), site.host(), site.attempts()), ("GET", "/api/contact/4", "127.0.0.1:9", 1));
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSite {
    method: String,
    path: String,
    host: String,
    attempts: u32,
}

impl RequestSite {
    /// A site of your own, for an error built by hand in a test of your error handling (a
    /// session makes its own from the request it sent). `host` is the endpoint's host and
    /// port, never with credentials.
    ///
    /// ```
    /// use clevertim::{Error, RequestSite};
    /// let site = RequestSite::new("PUT", "/api/contact/4", "127.0.0.1:9", 1);
    /// let refused = Error::Permission { message: "read-only user".into(), site: Some(Box::new(site)) };
    /// assert_eq!(
    ///     refused.to_string(),
    ///     "PUT /api/contact/4 to 127.0.0.1:9: permission denied (HTTP 403): read-only user",
    /// );
    /// assert_eq!(refused.site().map(|s| s.attempts()), Some(1));
    /// ```
    pub fn new(
        method: impl Into<String>,
        path: impl Into<String>,
        host: impl Into<String>,
        attempts: u32,
    ) -> Self {
        RequestSite {
            method: method.into(),
            path: path.into(),
            host: host.into(),
            attempts,
        }
    }

    /// The site of a request to `uri`, tried `attempts` times.
    pub(crate) fn of_request(method: &http::Method, uri: &http::Uri, attempts: u32) -> Self {
        RequestSite {
            method: method.to_string(),
            path: uri.path().to_owned(),
            host: uri
                .authority()
                .map(|a| a.as_str().rsplit('@').next().unwrap_or_default().to_owned())
                .unwrap_or_default(),
            attempts,
        }
    }

    /// The HTTP method, e.g. `GET` (see the example of [`RequestSite`]).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL's path, e.g. `/api/contact/4`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The host and port, as in the endpoint, e.g. `www.clevertim.com` or `127.0.0.1:9`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// How many times the request was tried (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl RequestSite {
    /// ` (3 attempts)` when the request was tried more than once, else nothing.
    pub(crate) fn attempts_suffix(&self) -> String {
        if self.attempts > 1 {
            format!(" ({} attempts)", self.attempts)
        } else {
            String::new()
        }
    }
}

impl std::fmt::Display for RequestSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} to {}", self.method, self.path, self.host)
    }
}

/// A transport failure in words. Without a site (an adapter's own error): its kind and
/// message, the cause left to `source()`. With one (what a session returns): where, what, the
/// root cause in words and the attempts, e.g. `GET /api/contact/4 to 127.0.0.1:9: could not
/// connect: connection refused (3 attempts)`; the chain stays reachable through `source()`.
pub(crate) fn describe_transport(
    kind: &TransportErrorKind,
    message: &str,
    source: &Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    site: &Option<Box<RequestSite>>,
) -> String {
    use crate::transport::message_suffix;
    let Some(site) = site else {
        return format!("{kind}{}", message_suffix(message));
    };
    let what = match kind {
        TransportErrorKind::Connect => "could not connect".to_owned(),
        TransportErrorKind::Timeout => "no answer in time".to_owned(),
        TransportErrorKind::Io => "the connection failed".to_owned(),
        other => other.to_string(),
    };
    let mut text = format!("{site}: {what}{}", message_suffix(message));
    if let Some(root) = source.as_deref().map(|s| root_cause(s)) {
        let root = in_words(&root.to_string());
        if !root.is_empty() && !text.contains(&root) {
            text.push_str(": ");
            text.push_str(&root);
        }
    }
    text.push_str(&site.attempts_suffix());
    text
}

/// The last error of a `source()` chain.
fn root_cause<'a>(
    mut error: &'a (dyn std::error::Error + 'static),
) -> &'a (dyn std::error::Error + 'static) {
    // Bounded: a chain that loops ends here too.
    for _ in 0..32 {
        match error.source() {
            Some(next) => error = next,
            None => break,
        }
    }
    error
}

/// A cause as words in a sentence: `Connection refused (os error 111)` →
/// `connection refused (os error 111)` (an acronym such as `TLS` keeps its case).
fn in_words(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}
