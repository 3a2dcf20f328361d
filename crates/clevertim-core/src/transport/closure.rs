//! [`transport_fn`]: a [`Transport`] made of an async closure, for tests and small adapters.

use std::fmt;
use std::future::Future;

use bytes::Bytes;

use super::{BoxFuture, Transport, TransportError};

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
