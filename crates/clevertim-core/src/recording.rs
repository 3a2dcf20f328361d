//! A transport that wraps another and notes every request it sends: for tests that assert how
//! many requests (and which) a piece of code costs.

use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;

use crate::transport::{BoxFuture, Transport, TransportError};

/// Wraps any [`Transport`] and notes each request it passes on (its method and path, e.g.
/// `GET /api/contact/4`; never a header, so never the API key) in a [`RequestLog`].
///
/// Wrap the transport, give the wrapper to the session, keep the log:
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{http, transport_fn, Contact, Recording, Session};
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let api = transport_fn(|request: http::Request<Bytes>| async move {
///     let id = request.uri().path().rsplit('/').next().unwrap_or_default().to_owned();
///     let body = format!(r#"{{"status":"OK","content":[{{"id":{id}}}]}}"#);
///     Ok(http::Response::new(Bytes::from(body)))
/// });
/// let (transport, log) = Recording::new(api);
/// let session = Session::builder("KEY").transport(transport).build()?;
///
/// let _: Contact = session.load(4).await?;
/// let _: Contact = session.load(4).await?; // from the cache
/// assert_eq!(log.count(), 1);
/// assert_eq!(log.take(), ["GET /api/contact/4"]); // and the log starts again
/// assert_eq!(log.count(), 0);
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Debug)]
pub struct Recording<T> {
    inner: T,
    log: RequestLog,
}

impl<T: Transport> Recording<T> {
    /// Wraps `inner`; returns the wrapper (to give to the session) and its log (to keep).
    /// See the example of [`Recording`].
    pub fn new(inner: T) -> (Self, RequestLog) {
        let log = RequestLog::default();
        let recording = Recording {
            inner,
            log: log.clone(),
        };
        (recording, log)
    }
}

impl<T: Transport> Transport for Recording<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.log
            .push(format!("{} {}", request.method(), request.uri().path()));
        self.inner.send(request)
    }
}

/// The requests a [`Recording`] transport sent, in order: `METHOD /path` each. Cheap to
/// clone; every clone sees the same log.
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{http, transport_fn, Recording, Transport};
///
/// let echo = transport_fn(|_: http::Request<Bytes>| async move {
///     Ok(http::Response::new(Bytes::new()))
/// });
/// let (transport, log) = Recording::new(echo);
/// let request = http::Request::post("https://x.example/api/task").body(Bytes::new())?;
/// # futures_util::future::FutureExt::now_or_never(transport.send(request)).unwrap()?;
/// assert_eq!(log.requests(), ["POST /api/task"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<String>>>);

impl RequestLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        // A panic elsewhere while holding the lock leaves a log that is still whole.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, line: String) {
        self.lock().push(line);
    }

    /// How many requests were sent since the start (or the last [`take`](Self::take)).
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    /// The requests sent since the start (or the last [`take`](Self::take)), in order.
    pub fn requests(&self) -> Vec<String> {
        self.lock().clone()
    }

    /// The requests sent so far, emptying the log: the next step of a test counts from zero.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lock())
    }
}
