//! [`TransportError`]: what a transport reports when a request could not be sent or answered,
//! classified into the [`TransportErrorKind`]s the session's retries are decided by.

use std::fmt;

use super::BodyLimit;

/// What kind of failure a transport met; the core decides from it what may be retried.
///
/// Every adapter classifies its failures into these kinds the same way, so that retries behave
/// alike whatever the transport:
///
/// | kind | what happened | may a retry repeat a write? |
/// | --- | --- | --- |
/// | [`Connect`](Self::Connect) | no connection was made (refused, unreachable, DNS, a *connect* timeout, TLS handshake included), or the server provably did not process the request (HTTP/2 `REFUSED_STREAM`, a stream above `GOAWAY`'s last stream id, a connection that closed before taking it) | no: nothing was processed, every verb may be retried |
/// | [`Timeout`](Self::Timeout) | the request was sent but no complete answer came in time | yes: only idempotent verbs are retried |
/// | [`Io`](Self::Io) | the connection broke after the request was sent (reset, answer cut short) | yes: only idempotent verbs are retried |
/// | [`Tls`](Self::Tls) | the TLS handshake or the certificate check failed | never retried |
/// | [`TooLarge`](Self::TooLarge) | the answer is larger than the [`BodyLimit`] | never retried |
/// | [`Other`](Self::Other) | anything else (an invalid request, a protocol error, …) | never retried |
///
/// An adapter of your own maps its failures to these kinds:
///
/// ```
/// use clevertim::{TransportError, TransportErrorKind};
///
/// fn classify(error: std::io::Error, request_sent: bool) -> TransportError {
///     let kind = match error.kind() {
///         // Nothing reached the server: safe to retry any verb.
///         _ if !request_sent => TransportErrorKind::Connect,
///         std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
///         _ => TransportErrorKind::Io,
///     };
///     TransportError::with_source(kind, error)
/// }
/// let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
/// assert_eq!(classify(reset, true).kind(), TransportErrorKind::Io);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS, the connect timed out, TLS
    /// handshake included): no byte of the request reached the server; or the server provably
    /// did not process the request (HTTP/2 `REFUSED_STREAM`, a stream above `GOAWAY`'s last
    /// stream id).
    Connect,
    /// The request was sent but no complete answer came within the time allowed.
    Timeout,
    /// The connection failed after the request was sent (reset, closed, answer cut short).
    Io,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The answer's body is larger than the request's [`BodyLimit`]; reading stopped there.
    TooLarge,
    /// The forward proxy refused the request (`407 Proxy Authentication Required`, or a
    /// `CONNECT` tunnel it would not open). The error's message names the proxy, its
    /// credentials redacted; nothing reached the server, but sending again would be refused
    /// the same way, so it is not retried.
    Proxy,
    /// Anything else (an invalid request, a protocol error, …).
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect error",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "I/O error",
            TransportErrorKind::Tls => "TLS error",
            TransportErrorKind::TooLarge => "response too large",
            TransportErrorKind::Proxy => "proxy refused the request",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// A request that could not be sent or whose answer was not received.
///
/// It displays its kind and, when there is one, a short description of its own; the error that
/// caused it (hyper's, curl's, an `io::Error`) is kept whole as its
/// [`source`](std::error::Error::source), not copied into the text, so an error reporter that
/// walks the chain prints each cause once.
///
/// ```
/// use std::error::Error as _;
/// use clevertim::{TransportError, TransportErrorKind};
///
/// let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
/// let error = TransportError::with_source(TransportErrorKind::Connect, refused);
/// assert_eq!(error.to_string(), "connect error");
/// assert_eq!(error.source().map(ToString::to_string).as_deref(), Some("refused"));
/// assert!(error.is_connect());
///
/// // `Debug` keeps a multi-line message readable.
/// let mismatch = TransportError::new(TransportErrorKind::Other, "no answer for:\n  GET /api/contact/9");
/// assert!(format!("{mismatch:?}").contains("\n  GET /api/contact/9"));
/// ```
#[derive(thiserror::Error)]
#[error("{}", crate::error::describe_transport(.kind, .message, .source, .site))]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    /// The request it happened to, once a session has sent it (see `error.rs`).
    site: Option<Box<crate::error::RequestSite>>,
}

/// Readable when printed through `Debug` (a test returning `Result` does): a multi-line
/// message, such as a cassette's report of a request it has no answer for, keeps its lines.
impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TransportError({}{}",
            self.kind,
            message_suffix(&self.message)
        )?;
        if let Some(source) = &self.source {
            write!(f, "; caused by {source:?}")?;
        }
        if let Some(site) = &self.site {
            write!(f, "; at {site}")?;
        }
        f.write_str(")")
    }
}

pub(crate) fn message_suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl TransportError {
    /// A new error of `kind` with a short description and no underlying cause.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// let e = TransportError::new(TransportErrorKind::Timeout, "no answer within 30 s");
    /// assert_eq!(e.to_string(), "timeout: no answer within 30 s");
    /// ```
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            site: None,
        }
    }

    /// A new error of `kind` caused by `source`, which is kept as the error's
    /// [`source`](std::error::Error::source) (and not repeated in its text).
    ///
    /// ```
    /// use std::error::Error as _;
    /// use clevertim::{TransportError, TransportErrorKind};
    /// let cut = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "cut short");
    /// let e = TransportError::with_source(TransportErrorKind::Io, cut);
    /// assert_eq!(e.to_string(), "I/O error");
    /// assert!(e.source().is_some());
    /// ```
    pub fn with_source(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            kind,
            message: String::new(),
            source: Some(source.into()),
            site: None,
        }
    }

    /// Adds a short description of where the failure happened (e.g. "reading the body"),
    /// shown after the kind.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// let e = TransportError::new(TransportErrorKind::Io, "").context("reading the body");
    /// assert_eq!(e.to_string(), "I/O error: reading the body");
    /// ```
    #[must_use]
    pub fn context(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// The error for an answer whose body is larger than `limit`.
    ///
    /// ```
    /// use clevertim::{BodyLimit, TransportError, TransportErrorKind};
    /// let e = TransportError::too_large(BodyLimit::new(1024));
    /// assert_eq!(e.kind(), TransportErrorKind::TooLarge);
    /// assert_eq!(e.to_string(), "response too large: the answer exceeds the limit of 1024 bytes");
    /// ```
    pub fn too_large(limit: BodyLimit) -> Self {
        TransportError::new(
            TransportErrorKind::TooLarge,
            format!("the answer exceeds the limit of {} bytes", limit.bytes()),
        )
    }

    /// The request it happened to (method, path, host, attempts), when a session sent it.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// // An adapter's own error has none; the session's error adds it.
    /// assert!(TransportError::new(TransportErrorKind::Io, "reset").site().is_none());
    /// ```
    pub fn site(&self) -> Option<&crate::error::RequestSite> {
        self.site.as_deref()
    }

    /// The same error, marked with the request it happened to.
    pub(crate) fn at(mut self, site: crate::error::RequestSite) -> Self {
        self.site = Some(Box::new(site));
        self
    }

    /// The kind of failure.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// let e = TransportError::new(TransportErrorKind::Tls, "unknown issuer");
    /// assert_eq!(e.kind(), TransportErrorKind::Tls);
    /// ```
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether no connection could be made: no byte of the request reached the server, so
    /// any verb is safe to retry.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// assert!(TransportError::new(TransportErrorKind::Connect, "refused").is_connect());
    /// assert!(!TransportError::new(TransportErrorKind::Io, "reset").is_connect());
    /// ```
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether the request was sent but its answer did not come in time.
    ///
    /// ```
    /// use clevertim::{TransportError, TransportErrorKind};
    /// assert!(TransportError::new(TransportErrorKind::Timeout, "30 s").is_timeout());
    /// assert!(!TransportError::new(TransportErrorKind::Connect, "30 s").is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}
