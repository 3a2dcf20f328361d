//! The connect timeout over the whole connect step: DNS, TCP and the TLS handshake.
//!
//! hyper-util's `HttpConnector` bounds only DNS and TCP; a server that accepts and then stalls
//! its TLS handshake would hold the request until the *request* timeout, as a `Timeout` the
//! session does not retry for a `POST`, though nothing was sent. [`Timed`] wraps the whole
//! connector (TLS included) in one deadline, so running out of it is a connect failure.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use tower::Service;

use crate::error::BoxError;

/// A connector whose every connection must be made (TLS included) within `timeout`.
#[derive(Clone)]
pub(crate) struct Timed<C> {
    inner: C,
    timeout: Duration,
}

impl<C> Timed<C> {
    pub(crate) fn new(inner: C, timeout: Duration) -> Timed<C> {
        Timed { inner, timeout }
    }
}

/// The connect step's failure when it ran out of time: an `io::Error` of kind `TimedOut`,
/// which the error classification reads as `Connect` inside a connect error.
pub(crate) fn timed_out(timeout: Duration) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        format!("no connection within the connect timeout ({timeout:?}: DNS, TCP and TLS)"),
    )
}

type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

impl<C> Service<Uri> for Timed<C>
where
    C: Service<Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Connecting<C::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(connected) => connected.map_err(Into::into),
                Err(_) => Err(timed_out(timeout).into()),
            }
        })
    }
}
