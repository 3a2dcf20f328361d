//! The `Transport` port: how a [`Session`](crate::Session) sends one HTTP request.
//!
//! A transport sends exactly once: no retries, no authentication, no envelope decoding. Those
//! live in the core, so every adapter behaves alike and stays small.
//!
//! - `mod.rs`: the [`Transport`] trait itself;
//! - `closure.rs`: [`transport_fn`], a transport made of an async closure;
//! - `error.rs`: [`TransportError`] and the [`TransportErrorKind`]s retries are decided by;
//! - `body_limit.rs`: [`BodyLimit`], the most bytes of an answer a transport may read;
//! - `proxy.rs`: [`ProxyChoice`], which forward proxy a transport sends through.

mod body_limit;
mod closure;
mod error;
mod proxy;

pub use body_limit::BodyLimit;
pub use closure::{FnTransport, transport_fn};
pub(crate) use error::message_suffix;
pub use error::{TransportError, TransportErrorKind};
pub use proxy::{ProxyChoice, redact_proxy_url};

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
