//! The `Transport` port: how a [`Session`](crate::Session) sends one HTTP request.
//!
//! A transport sends exactly once: no retries, no authentication, no envelope decoding. Those
//! live in the core, so every adapter behaves alike and stays small.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

/// A boxed, `Send` future, so that a `dyn Transport` can be held in an `Arc`.
///
/// ```
/// use clevertim::BoxFuture;
/// let answer: BoxFuture<'static, u16> = Box::pin(async { 200 });
/// assert_eq!(futures_executor::block_on(answer), 200);
/// ```
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the complete response.
///
/// Implement it to embed the SDK on your own HTTP stack, or wrap a closure with
/// [`transport_fn`]. What an implementation promises:
///
/// - it sends the request **once** (retries are the session's), and follows no redirect;
/// - it reads at most [`BodyLimit::of`]`(&request)` bytes of the answer's body, stopping as soon
///   as the body grows past it, with [`TransportError::too_large`];
/// - it classifies each failure into a [`TransportErrorKind`] as the table there says (a
///   connect timeout is [`Connect`](TransportErrorKind::Connect): nothing was sent), and keeps
///   the failure itself as the error's source ([`TransportError::with_source`]).
///
/// A transport that wraps another, here to count the requests a piece of code sends:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use clevertim::bytes::Bytes;
/// use clevertim::{transport_fn, BoxFuture, Contact, Session, Transport, TransportError};
///
/// #[derive(Debug)]
/// struct Counting<T> {
///     inner: T,
///     sent: Arc<AtomicUsize>,
/// }
///
/// impl<T: Transport> Transport for Counting<T> {
///     fn send(
///         &self,
///         request: http::Request<Bytes>,
///     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
///         self.sent.fetch_add(1, Ordering::Relaxed);
///         self.inner.send(request)
///     }
/// }
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let canned = transport_fn(|_request: http::Request<Bytes>| async {
///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[{"id":4}]}"#)))
/// });
/// let sent = Arc::new(AtomicUsize::new(0));
/// let session = Session::builder("KEY")
///     .transport(Counting { inner: canned, sent: sent.clone() })
///     .build()?;
/// session.load::<Contact>(4).await?;
/// session.load::<Contact>(4).await?; // cached
/// assert_eq!(sent.load(Ordering::Relaxed), 1);
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` once and collects the whole response body.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] of the [`TransportErrorKind`] the failure belongs to, when the
    /// request could not be sent or its answer not received whole. An HTTP error status is an
    /// answer, not an error: the session reads it.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{transport_fn, Transport};
    /// let transport = transport_fn(|request: http::Request<Bytes>| async move {
    ///     Ok(http::Response::new(Bytes::from(format!("you asked for {}", request.uri().path()))))
    /// });
    /// let request = http::Request::get("https://example.invalid/api/user").body(Bytes::new())?;
    /// let answer = futures_executor::block_on(transport.send(request))?;
    /// assert_eq!(answer.body(), "you asked for /api/user");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

/// A [`Transport`] made from a closure; see [`transport_fn`].
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{transport_fn, FnTransport, Session, TransportError, TransportErrorKind};
///
/// // A transport that is never reachable, to see what the session does then.
/// let offline = transport_fn(|_request: http::Request<Bytes>| async {
///     Err(TransportError::new(TransportErrorKind::Connect, "offline"))
/// });
/// let session = Session::builder("KEY").transport(offline).build()?;
/// # let _ = session;
/// # Ok::<(), clevertim::Error>(())
/// ```
#[derive(Clone)]
pub struct FnTransport<F> {
    send: F,
}

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport")
    }
}

/// Makes a [`Transport`] of an async closure.
///
/// ```
/// use clevertim::bytes::Bytes;
/// let transport = clevertim::transport_fn(|_request: http::Request<Bytes>| async {
///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
/// });
/// # let _ = transport;
/// ```
pub fn transport_fn<F, Fut>(send: F) -> FnTransport<F>
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'static,
{
    FnTransport { send }
}

impl<F, Fut> Transport for FnTransport<F>
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'static,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin((self.send)(request))
    }
}

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

/// The most bytes of response body a transport may read for one request.
///
/// The [`Session`](crate::Session) puts it in the extensions of every request it sends
/// (configure it with [`SessionBuilder::body_limit`](crate::SessionBuilder::body_limit)); a
/// transport reads it with [`BodyLimit::of`] and stops reading as soon as the body grows past
/// it, failing with [`TransportError::too_large`]: memory stays bounded near the limit whatever
/// a server sends. (The session checks the length again afterwards, for transports that do not.)
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::BodyLimit;
///
/// let mut request = http::Request::new(Bytes::new());
/// assert_eq!(BodyLimit::of(&request), BodyLimit::DEFAULT);
/// request.extensions_mut().insert(BodyLimit::new(4096));
/// assert_eq!(BodyLimit::of(&request).bytes(), 4096);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BodyLimit(u64);

impl BodyLimit {
    /// 256 MiB: generous enough for the whole list of the largest real account.
    pub const DEFAULT: BodyLimit = BodyLimit(256 * 1024 * 1024);

    /// A limit of `bytes` bytes.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert!(BodyLimit::new(1024) < BodyLimit::DEFAULT);
    /// ```
    pub const fn new(bytes: u64) -> Self {
        BodyLimit(bytes)
    }

    /// The limit in bytes.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert_eq!(BodyLimit::DEFAULT.bytes(), 256 * 1024 * 1024);
    /// ```
    pub const fn bytes(self) -> u64 {
        self.0
    }

    /// The limit `request` carries, or [`BodyLimit::DEFAULT`] when it carries none.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::BodyLimit;
    /// let mut request = http::Request::new(Bytes::new());
    /// request.extensions_mut().insert(BodyLimit::new(64));
    /// assert_eq!(BodyLimit::of(&request), BodyLimit::new(64));
    /// ```
    pub fn of<B>(request: &http::Request<B>) -> BodyLimit {
        request
            .extensions()
            .get::<BodyLimit>()
            .copied()
            .unwrap_or_default()
    }

    /// Fails early when the answer declares (`Content-Length`) a body larger than the limit,
    /// before a byte of it is read; otherwise gives the declared length, if any, for sizing
    /// the buffer the body is read into.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::TooLarge`] when the declared length exceeds the limit.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// let mut headers = http::HeaderMap::new();
    /// assert_eq!(BodyLimit::new(4096).check_declared(&headers).ok(), Some(None));
    /// headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from_static("5000"));
    /// assert!(BodyLimit::new(4096).check_declared(&headers).is_err());
    /// assert_eq!(BodyLimit::new(5000).check_declared(&headers).ok(), Some(Some(5000)));
    /// ```
    pub fn check_declared(self, headers: &http::HeaderMap) -> Result<Option<u64>, TransportError> {
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        match declared {
            Some(length) if length > self.0 => Err(TransportError::too_large(self)),
            declared => Ok(declared),
        }
    }

    /// Fails when `length` bytes read so far exceed the limit.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::TooLarge`] when `length` exceeds the limit.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert!(BodyLimit::new(3).check_length(3).is_ok());
    /// assert!(BodyLimit::new(3).check_length(4).is_err());
    /// ```
    pub fn check_length(self, length: u64) -> Result<(), TransportError> {
        if length > self.0 {
            Err(TransportError::too_large(self))
        } else {
            Ok(())
        }
    }
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit::DEFAULT
    }
}
