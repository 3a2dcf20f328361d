//! The one error type of the SDK.

use std::time::Duration;

use crate::transport::{TransportError, TransportErrorKind};

/// A shorthand for results whose error is [`enum@Error`].
///
/// ```
/// use clevertim::{Contact, Result, Session};
///
/// async fn first_name(session: &Session, id: u64) -> Result<String> {
///     let contact: Contact = session.load(id).await?;
///     Ok(contact.first_name().unwrap_or_default().to_owned())
/// }
/// # let _ = first_name;
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to the Clevertim API.
///
/// Every variant says what happened and where (resource, key, HTTP status, the server's
/// error text). None of them ever contains the API key. What to do with each:
/// `docs/reliability.md`.
///
/// ```
/// use clevertim::{Contact, Error};
///
/// fn describe(result: Result<Contact, Error>) -> String {
///     match result {
///         Ok(contact) => format!("found {:?}", contact.first_name()),
///         Err(Error::NotFound { resource, key }) => format!("no {resource} {key}"),
///         Err(e) if e.is_retryable() => format!("try again later: {e}"),
///         Err(e) => format!("failed: {e}"),
///     }
/// }
/// let gone = Error::NotFound { resource: "contact", key: "4".into() };
/// assert_eq!(describe(Err(gone)), "no contact 4");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object does not exist (HTTP 404, or the server answered with another object).
    #[error("{resource} {key} not found")]
    NotFound {
        /// The resource, e.g. `contact`.
        resource: &'static str,
        /// The key that was asked for.
        key: String,
    },
    /// The server refused the API key (HTTP 401).
    #[error("authentication failed (HTTP 401): {message}")]
    Authentication {
        /// The server's error text.
        message: String,
    },
    /// The key's user lacks the permission (HTTP 403), e.g. a read-only user writing.
    #[error("permission denied (HTTP 403): {message}")]
    Permission {
        /// The server's error text.
        message: String,
    },
    /// The server does not support the operation (HTTP 501), e.g. updating a comment.
    #[error("unsupported operation (HTTP 501): {message}")]
    Unsupported {
        /// The server's error text.
        message: String,
    },
    /// The server answered with an error envelope or an error status.
    #[error("the API answered HTTP {status}: {message}{}", retry_after_suffix(.retry_after))]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The server's `error` text, or an excerpt of the body when it sent no envelope.
        message: String,
        /// How long the server asked the client to wait before trying again (`Retry-After` on
        /// a 429 or 503), when the session did not wait that long itself: the wish was beyond
        /// [`RetryPolicy::max_retry_after`](crate::RetryPolicy::max_retry_after), the verb is
        /// not retried (`POST`), or the retries ran out.
        retry_after: Option<Duration>,
    },
    /// A value was rejected before any request was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The server's answer could not be understood.
    #[error("malformed response (HTTP {status}): expected {expected}, got {excerpt:?}{}", detail_suffix(.detail))]
    MalformedResponse {
        /// The HTTP status code of the answer.
        status: u16,
        /// What the SDK expected to read.
        expected: String,
        /// A short excerpt of what came.
        excerpt: String,
        /// The decoder's explanation, if any.
        detail: Option<String>,
    },
    /// The request could not be sent or its answer not received.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The session was configured wrongly (endpoint, API key, missing transport).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A save or a delete through a session of another account (or endpoint) than the one the
    /// object was loaded from or saved to: refused before anything was sent. To create the
    /// object in this session's account, save a `copy_as_new()` of it.
    ///
    /// ```
    /// use clevertim::Error;
    /// fn is_misdirected(e: &Error) -> bool {
    ///     matches!(e, Error::OtherAccount { .. })
    /// }
    /// # let _ = is_misdirected;
    /// ```
    #[error(
        "{operation} of {resource} {key} refused: it was loaded from {from}, not from this \
         session's {to}; nothing was sent (to create it in this account, save its \
         `copy_as_new()`)"
    )]
    OtherAccount {
        /// `save` or `delete`.
        operation: &'static str,
        /// The resource, e.g. `contact`.
        resource: &'static str,
        /// The object's key.
        key: String,
        /// The account the object came from, e.g. `account #1a2b3c4d at 127.0.0.1:8080` (a
        /// short fingerprint of the account and the host of its endpoint; never the key).
        from: String,
        /// This session's account, in the same words.
        to: String,
    },
}

fn retry_after_suffix(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (the server asks to retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_ref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

impl Error {
    /// The HTTP status code behind this error, when the server answered (`NotFound` says 404
    /// also when a 200 carried another object or none).
    ///
    /// ```
    /// use clevertim::{Error, ValidationError};
    /// let gone = Error::NotFound { resource: "contact", key: "4".into() };
    /// assert_eq!(gone.status(), Some(404));
    /// let refused: Error = ValidationError::new("contact", "email", "x", "is not an email").into();
    /// assert_eq!(refused.status(), None, "refused before any request");
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::NotFound { .. } => Some(404),
            Error::Authentication { .. } => Some(401),
            Error::Permission { .. } => Some(403),
            Error::Unsupported { .. } => Some(501),
            Error::Api { status, .. } | Error::MalformedResponse { status, .. } => Some(*status),
            Error::Validation(_)
            | Error::Transport(_)
            | Error::Config(_)
            | Error::OtherAccount { .. } => None,
        }
    }

    /// Whether the same call may succeed if made again later: a failure to connect, a
    /// timeout, a broken connection, or the server saying it is busy or unreachable behind a
    /// proxy (HTTP 429, 502, 503, 504). The session already retried such failures as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows; this tells your own policy what is worth
    /// another try. Whether a *write* may be repeated without applying it twice is another
    /// question: only a [`TransportErrorKind::Connect`] failure guarantees that nothing was
    /// sent.
    ///
    /// ```
    /// use clevertim::{Error, TransportError, TransportErrorKind};
    /// let busy = Error::Api { status: 503, message: "busy".into(), retry_after: None };
    /// assert!(busy.is_retryable());
    /// let refused: Error = TransportError::new(TransportErrorKind::Connect, "refused").into();
    /// assert!(refused.is_retryable());
    /// let not_found = Error::NotFound { resource: "contact", key: "4".into() };
    /// assert!(!not_found.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            Error::Transport(e) => matches!(
                e.kind(),
                TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
            ),
            _ => false,
        }
    }

    /// How long the server asked to wait before trying again (its `Retry-After` header on a
    /// 429 or 503), when the session gave up without waiting that long.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::Error;
    /// let e = Error::Api {
    ///     status: 429,
    ///     message: "slow down".into(),
    ///     retry_after: Some(Duration::from_secs(600)),
    /// };
    /// assert_eq!(e.retry_after(), Some(Duration::from_secs(600)));
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The kind of transport failure, when the request could not be sent or its answer not
    /// received (for policies of your own: see [`TransportErrorKind`]).
    ///
    /// ```
    /// use clevertim::{Error, TransportError, TransportErrorKind};
    /// let e: Error = TransportError::new(TransportErrorKind::Timeout, "30 s").into();
    /// assert_eq!(e.transport_kind(), Some(TransportErrorKind::Timeout));
    /// ```
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Error::Transport(e) => Some(e.kind()),
            _ => None,
        }
    }
}

/// A value rejected by the SDK's validation, before any request was sent.
///
/// A [`Session::save`](crate::Session::save) returns it as [`Error::Validation`]; its fields
/// say which value of which field was refused, and why.
///
/// ```
/// use clevertim::{Contact, Error, ValidationError};
///
/// fn explain(e: &Error) -> Option<String> {
///     match e {
///         Error::Validation(ValidationError { field, reason, .. }) => Some(format!("{field}: {reason}")),
///         _ => None,
///     }
/// }
/// let e: Error = ValidationError::new("contact", "email", "jane@", "is not an email address").into();
/// assert_eq!(explain(&e).as_deref(), Some("email: is not an email address"));
/// assert_eq!(e.to_string(), r#"invalid contact field `email`: "jane@" is not an email address"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {resource} field `{field}`: {value:?} {reason}")]
pub struct ValidationError {
    /// The resource, e.g. `contact`.
    pub resource: &'static str,
    /// The wire name of the field, e.g. `phones`.
    pub field: String,
    /// The offending value, as text.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

impl ValidationError {
    /// A new validation error, e.g. for a check of your own before a save.
    ///
    /// ```
    /// use clevertim::ValidationError;
    /// let e = ValidationError::new("task", "name", "", "must not be empty");
    /// assert_eq!(e.to_string(), r#"invalid task field `name`: "" must not be empty"#);
    /// ```
    pub fn new(
        resource: &'static str,
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        ValidationError {
            resource,
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }
}

/// The request a transport failure happened to: method, path, host and how many times it
/// was tried. A session marks every [`TransportError`] it returns with one
/// ([`TransportError::site`]); it never holds the API key (that travels in a header).
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
    /// The site of a request to `uri`, tried `attempts` times.
    pub(crate) fn new(method: &http::Method, uri: &http::Uri, attempts: u32) -> Self {
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
    if site.attempts > 1 {
        text.push_str(&format!(" ({} attempts)", site.attempts));
    }
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
