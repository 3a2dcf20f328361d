//! The one error type of the SDK.

use std::time::Duration;

use crate::transport::{TransportError, TransportErrorKind};

mod site;

pub use site::RequestSite;
pub(crate) use site::describe_transport;

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
/// Every variant says what happened and where: the request (method, path, host and, when it
/// was retried, the attempts) for every error the server answered or that happened on the
/// way ([`Error::site`]), the resource and key, the HTTP status and the server's error text.
/// None of them ever contains the API key. What to do with each: `docs/reliability.md`.
///
/// The variants the server answered carry the request as a `site` field, an
/// `Option<Box<RequestSite>>`: a session always fills it in; an error built by hand, in a
/// test of your own error handling, says `site: None` (the message then leaves out where,
/// nothing else changes), or gives one made with [`RequestSite::new`]. Boxed, it keeps `Error` small; a field rather than a wrapper
/// variant, it leaves `match`es on the variants as they are (add `..` to a pattern that
/// names every field).
///
/// ```
/// use clevertim::{Contact, Error};
///
/// fn describe(result: Result<Contact, Error>) -> String {
///     match result {
///         Ok(contact) => format!("found {:?}", contact.first_name()),
///         Err(Error::NotFound { resource, key, .. }) => format!("no {resource} {key}"),
///         Err(e) if e.is_retryable() => format!("try again later: {e}"),
///         Err(e) => format!("failed: {e}"),
///     }
/// }
/// let gone = Error::NotFound { resource: "contact", key: "4".into(), site: None };
/// assert_eq!(describe(Err(gone)), "no contact 4");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object does not exist (HTTP 404, or the server answered with another object).
    #[error("{}{resource} {key} not found{}", at(.site), attempts(.site))]
    NotFound {
        /// The resource, e.g. `contact`.
        resource: &'static str,
        /// The key that was asked for.
        key: String,
        /// The request the server answered (`None` when built by hand, or when the object
        /// was missing from a list the session had cached).
        site: Option<Box<RequestSite>>,
    },
    /// The server refused the API key (HTTP 401).
    #[error("{}authentication failed (HTTP 401): {message}{}", at(.site), attempts(.site))]
    Authentication {
        /// The server's error text.
        message: String,
        /// The request the server answered (`None` when built by hand).
        site: Option<Box<RequestSite>>,
    },
    /// The key's user lacks the permission (HTTP 403), e.g. a read-only user writing.
    #[error("{}permission denied (HTTP 403): {message}{}", at(.site), attempts(.site))]
    Permission {
        /// The server's error text.
        message: String,
        /// The request the server answered (`None` when built by hand).
        site: Option<Box<RequestSite>>,
    },
    /// The server does not support the operation (HTTP 501), e.g. updating a comment; or the
    /// session refused, before sending, an operation the API never allows (then `site` is
    /// `None`).
    #[error("{}unsupported operation{}: {message}{}", at(.site), if .site.is_some() { " (HTTP 501)" } else { "" }, attempts(.site))]
    Unsupported {
        /// The server's error text.
        message: String,
        /// The request the server answered (`None` when built by hand or refused before
        /// sending).
        site: Option<Box<RequestSite>>,
    },
    /// The server answered with an error envelope or an error status.
    #[error(
        "{}the API answered HTTP {status}: {message}{}{}",
        at(.site),
        retry_after_suffix(.retry_after),
        attempts(.site)
    )]
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
        /// The request the server answered (`None` when built by hand).
        site: Option<Box<RequestSite>>,
    },
    /// A value was rejected before any request was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The server's answer could not be understood.
    #[error(
        "{}malformed response (HTTP {status}): expected {expected}, got {excerpt:?}{}{}",
        at(.site),
        detail_suffix(.detail),
        attempts(.site)
    )]
    MalformedResponse {
        /// The HTTP status code of the answer.
        status: u16,
        /// What the SDK expected to read.
        expected: String,
        /// A short excerpt of what came.
        excerpt: String,
        /// The decoder's explanation, if any.
        detail: Option<String>,
        /// The request the server answered (`None` when built by hand, or when what could
        /// not be read came from the cache).
        site: Option<Box<RequestSite>>,
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

/// `GET /api/contact/4 to 127.0.0.1:9: `, the start of a message that has a site.
fn at(site: &Option<Box<RequestSite>>) -> String {
    site.as_ref().map(|s| format!("{s}: ")).unwrap_or_default()
}

/// ` (3 attempts)`, the end of a message whose request was tried more than once.
fn attempts(site: &Option<Box<RequestSite>>) -> String {
    site.as_ref()
        .map(|s| s.attempts_suffix())
        .unwrap_or_default()
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
    /// let gone = Error::NotFound { resource: "contact", key: "4".into(), site: None };
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
    /// let busy = Error::Api { status: 503, message: "busy".into(), retry_after: None, site: None };
    /// assert!(busy.is_retryable());
    /// let refused: Error = TransportError::new(TransportErrorKind::Connect, "refused").into();
    /// assert!(refused.is_retryable());
    /// let not_found = Error::NotFound { resource: "contact", key: "4".into(), site: None };
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
    ///     site: None,
    /// };
    /// assert_eq!(e.retry_after(), Some(Duration::from_secs(600)));
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The request this error happened to, or that the server answered with it: method,
    /// path, host and how many times it was tried. Every error a session returns after
    /// sending something has one, whatever its variant ([`Error::Transport`] included);
    /// errors raised before anything was sent ([`Error::Validation`], [`Error::Config`],
    /// [`Error::OtherAccount`]) and errors built by hand have none.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{transport_fn, Contact, Error, RetryPolicy, Session};
    ///
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// let read_only = transport_fn(|_: http::Request<Bytes>| async move {
    ///     let mut answer = http::Response::new(Bytes::from_static(
    ///         br#"{"status":"ERROR","error":"read-only user"}"#,
    ///     ));
    ///     *answer.status_mut() = http::StatusCode::FORBIDDEN;
    ///     Ok(answer)
    /// });
    /// let session = Session::builder("KEY")
    ///     .endpoint("http://127.0.0.1:9/api")
    ///     .transport(read_only)
    ///     .retry(RetryPolicy::none())
    ///     .build()?;
    /// let error = session.load::<Contact>(4).await.unwrap_err();
    /// let site = error.site().expect("the server answered a request");
    /// assert_eq!((site.method(), site.path(), site.host()), ("GET", "/api/contact/4", "127.0.0.1:9"));
    /// assert_eq!(
    ///     error.to_string(),
    ///     "GET /api/contact/4 to 127.0.0.1:9: permission denied (HTTP 403): read-only user",
    /// );
    ///
    /// // Built by hand: no site, and the message says only what.
    /// let gone = Error::NotFound { resource: "contact", key: "4".into(), site: None };
    /// assert!(gone.site().is_none());
    /// assert_eq!(gone.to_string(), "contact 4 not found");
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn site(&self) -> Option<&RequestSite> {
        match self {
            Error::NotFound { site, .. }
            | Error::Authentication { site, .. }
            | Error::Permission { site, .. }
            | Error::Unsupported { site, .. }
            | Error::Api { site, .. }
            | Error::MalformedResponse { site, .. } => site.as_deref(),
            Error::Transport(e) => e.site(),
            Error::Validation(_) | Error::Config(_) | Error::OtherAccount { .. } => None,
        }
    }

    /// The same error, marked as the server's answer to the request at `site` (unless it
    /// already names one), with the server's `Retry-After` wish on an [`Error::Api`] that has
    /// none. Local errors (validation, configuration, another account's object) and
    /// transport failures (marked where they are met) are left as they are.
    pub(crate) fn answered(
        mut self,
        site: impl FnOnce() -> RequestSite,
        wish: Option<Duration>,
    ) -> Self {
        let slot = match &mut self {
            Error::NotFound { site, .. }
            | Error::Authentication { site, .. }
            | Error::Permission { site, .. }
            | Error::Unsupported { site, .. }
            | Error::MalformedResponse { site, .. } => site,
            Error::Api {
                site, retry_after, ..
            } => {
                if retry_after.is_none() {
                    *retry_after = wish;
                }
                site
            }
            Error::Validation(_)
            | Error::Transport(_)
            | Error::Config(_)
            | Error::OtherAccount { .. } => return self,
        };
        if slot.is_none() {
            *slot = Some(Box::new(site()));
        }
        self
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
