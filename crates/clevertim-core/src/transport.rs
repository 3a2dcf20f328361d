//! The `Transport` port: how a [`Session`](crate::Session) sends one HTTP request.
//!
//! A transport sends exactly once: no retries, no authentication, no envelope decoding. Those
//! live in the core, so every adapter behaves alike and stays small.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

/// A boxed, `Send` future, so that a `dyn Transport` can be held in an `Arc`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the complete response.
///
/// Implement it to embed the SDK on your own HTTP stack, or wrap a closure with
/// [`transport_fn`].
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` once and collects the whole response body.
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
/// use bytes::Bytes;
/// let transport = clevertim_core::transport_fn(|_request: http::Request<Bytes>| async {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS).
    Connect,
    /// The connect or the whole request took longer than allowed.
    Timeout,
    /// The connection failed while the request or response was under way.
    Io,
    /// The TLS handshake or certificate check failed.
    Tls,
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
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// A request that could not be sent or whose answer was not received.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A new error of `kind` with a short description.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A new error of `kind` caused by `source`.
    pub fn with_source(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        let source = source.into();
        TransportError {
            kind,
            message: source.to_string(),
            source: Some(source),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether no byte of the request can have reached the server (safe to retry any verb).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}
