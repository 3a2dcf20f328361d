//! Retries with jittered exponential backoff: in the core, so every transport behaves alike.
//!
//! Only what cannot have changed anything twice is retried: a failure to connect (no byte
//! reached the server) for any verb; a timeout, a broken connection or a 429/502/503/504
//! answer for the idempotent verbs (`GET`, `PUT`, `DELETE`) only, never for a `POST`.
//!
//! A 429 or 503 may say how long to wait (`Retry-After`, in seconds or as an HTTP date): the
//! retry then waits at least that long, unless the wish is beyond
//! [`RetryPolicy::max_retry_after`], in which case the session gives up at once and the
//! error carries the wish ([`Error::retry_after`](crate::Error::retry_after)).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use backon::BackoffBuilder as _;
use bytes::Bytes;
use http::{Method, StatusCode};

use super::Session;
use crate::error::RequestSite;
use crate::error::Result;
use crate::key::Id;
use crate::transport::{BoxFuture, TransportError, TransportErrorKind};
use crate::wire::Answer;

/// How often and how patiently a failed request is tried again.
///
/// ```
/// use std::time::Duration;
/// use clevertim::RetryPolicy;
/// let patient = RetryPolicy::default().max_retries(5).max_delay(Duration::from_secs(10));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Two retries, waiting about 100 ms then 200 ms; the backoff is capped at 2 s and jitter
    /// then adds up to as much again; a server's `Retry-After` is honoured up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_retry_after: RetryPolicy::DEFAULT_MAX_RETRY_AFTER,
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The longest `Retry-After` honoured by default: 60 s.
    pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

    /// No retries: every request is tried once.
    ///
    /// ```
    /// use clevertim::{RetryPolicy, Session};
    /// let builder = Session::builder("KEY").retry(RetryPolicy::none());
    /// assert_eq!(RetryPolicy::none(), RetryPolicy::default().max_retries(0));
    /// # let _ = builder;
    /// ```
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// How many times a request is tried again after its first failure.
    ///
    /// ```
    /// use clevertim::RetryPolicy;
    /// let policy = RetryPolicy::default().max_retries(4); // five tries at most
    /// # let _ = policy;
    /// ```
    pub fn max_retries(mut self, n: usize) -> Self {
        self.max_retries = n;
        self
    }

    /// The wait before the first retry; it doubles for each one after.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::RetryPolicy;
    /// // 500 ms, 1 s, 2 s (each plus jitter).
    /// let policy = RetryPolicy::default().max_retries(3).min_delay(Duration::from_millis(500));
    /// # let _ = policy;
    /// ```
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The cap of the backoff between two tries (jitter may add up to as much again).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::RetryPolicy;
    /// let policy = RetryPolicy::default().max_retries(8).max_delay(Duration::from_secs(5));
    /// # let _ = policy;
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest wait a server may ask for with `Retry-After` (default 60 s). A longer wish
    /// is not waited for: the call fails at once with [`Error::Api`](crate::Error::Api), whose
    /// `retry_after` says what the server asked.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::RetryPolicy;
    /// // A batch job may wait out a rate limit of up to ten minutes.
    /// let patient = RetryPolicy::default().max_retry_after(Duration::from_secs(600));
    /// # let _ = patient;
    /// ```
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The longest `Retry-After` this policy waits for.
    pub(crate) fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// Waits exactly the computed delays, without random jitter (for reproducible tests).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::RetryPolicy;
    /// let exact = RetryPolicy::default().min_delay(Duration::from_millis(1)).without_jitter();
    /// # let _ = exact;
    /// ```
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The waits before each retry, in order.
    pub(crate) fn delays(&self) -> impl Iterator<Item = Duration> {
        let builder = backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries);
        let builder = if self.jitter {
            builder.with_jitter()
        } else {
            builder
        };
        builder.build()
    }
}

/// Waits for a while; injected so that the core needs no async runtime (and tests need not
/// wait). The default waits on a timer thread of its own (`futures-timer`).
///
/// A sleeper that records the waits instead of waiting, for a test of retries:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
/// use clevertim::bytes::Bytes;
/// use clevertim::{transport_fn, BoxFuture, Contact, RetryPolicy, Session, Sleeper};
///
/// #[derive(Debug, Default, Clone)]
/// struct Recorded(Arc<Mutex<Vec<Duration>>>);
/// impl Sleeper for Recorded {
///     fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
///         self.0.lock().unwrap().push(duration);
///         Box::pin(async {})
///     }
/// }
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let busy = transport_fn(|_request: http::Request<Bytes>| async {
///     let mut answer = http::Response::new(Bytes::from_static(br#"{"status":"ERROR","error":"busy"}"#));
///     *answer.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
///     Ok(answer)
/// });
/// let waits = Recorded::default();
/// let session = Session::builder("KEY")
///     .transport(busy)
///     .retry(RetryPolicy::default().max_retries(2).without_jitter())
///     .sleeper(waits.clone())
///     .build()?;
/// assert!(session.load::<Contact>(4).await.is_err());
/// let waited = waits.0.lock().unwrap().clone();
/// assert_eq!(waited.len(), 2, "two retries, each after a wait");
/// assert!(waited[1] > waited[0], "the backoff grows: {waited:?}");
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use clevertim::{Sleeper, TimerSleeper};
    /// let started = Instant::now();
    /// futures_executor::block_on(TimerSleeper.sleep(Duration::from_millis(20)));
    /// assert!(started.elapsed() >= Duration::from_millis(20));
    /// ```
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The default [`Sleeper`]: a timer thread, so it works under any executor.
///
/// ```
/// use clevertim::{Session, TimerSleeper};
/// // What a session uses when given no sleeper.
/// let builder = Session::builder("KEY").sleeper(TimerSleeper);
/// # let _ = builder;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TimerSleeper;

impl Sleeper for TimerSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        use backon::Sleeper as _;
        Box::pin(backon::FuturesTimerSleeper.sleep(duration))
    }
}

/// A shared sleeper.
pub(crate) type SharedSleeper = Arc<dyn Sleeper>;

impl Session {
    /// Sends one request, retried as the [`RetryPolicy`] allows, and returns the last answer;
    /// a transport failure that is not retried becomes the error, marked with the request's
    /// site. What the answer says is read by [`Session::exchange`], which marks its errors.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &'static str,
        id: Option<&Id>,
        body: Option<Bytes>,
    ) -> Result<Answer> {
        let policy = &self.inner.retry;
        let limit = self.inner.body_limit;
        let mut delays = policy.delays();
        let mut retried = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut request =
                self.inner
                    .protocol
                    .request(method.clone(), path, id, body.clone())?;
            request.extensions_mut().insert(limit);
            let uri = request.uri().clone();
            // One span per try, for users' diagnostics (see the crate docs): the URL's path
            // only, never the headers (the API key is in `Authorization`).
            let span = tracing::debug_span!(
                target: "clevertim_core::session",
                "request",
                method = %method,
                path = request.uri().path(),
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            self.wait_for_budget().await;
            let started = std::time::Instant::now();
            let outcome =
                tracing::Instrument::instrument(self.inner.transport.send(request), span.clone())
                    .await
                    .and_then(|r| {
                        // The transport should have stopped reading at the limit; one that does
                        // not (a closure of the user's) is held to it here.
                        limit.check_length(r.body().len() as u64).map(|()| r)
                    });
            if let Ok(r) = &outcome {
                span.record("status", r.status().as_u16());
            }
            span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
            let (retryable, wish) = match &outcome {
                Ok(r) => (
                    retry_status(&method, r.status()),
                    retry_after(r.status(), r.headers()),
                ),
                Err(error) => (retry_transport(&method, error), None),
            };
            let too_many = matches!(&outcome, Ok(r) if r.status() == StatusCode::TOO_MANY_REQUESTS);
            if let (Some(budget), Some(wish), true) = (&self.inner.budget, wish, too_many) {
                // Everyone sharing the budget waits, not only this request.
                budget.pause(wish).await;
            }
            let within_cap = wish.is_none_or(|w| w <= policy.retry_after_limit());
            if retryable && within_cap {
                if let Some(backoff) = delays.next() {
                    let delay = wish.map_or(backoff, |w| w.max(backoff));
                    let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
                    let error = outcome.as_ref().err().map(ToString::to_string);
                    span.in_scope(|| {
                        tracing::debug!(%method, resource = path, key = ?id, ?status, ?error, ?delay, "retrying");
                    });
                    self.inner.sleeper.sleep(delay).await;
                    retried = true;
                    continue;
                }
            }
            let response = outcome.map_err(|e| {
                // Whatever its kind, the error says which request failed, where, how often.
                let e = e.at(RequestSite::of_request(&method, &uri, attempt));
                span.in_scope(|| {
                    tracing::debug!(%method, resource = path, key = ?id, error = %e, "transport failure");
                });
                e
            })?;
            let status = response.status();
            span.in_scope(|| {
                tracing::debug!(%method, resource = path, key = ?id, status = status.as_u16(), "request");
            });
            return Ok(Answer {
                status,
                body: response.into_body(),
                retried,
                retry_after: wish,
                method,
                uri,
                attempts: attempt,
            });
        }
    }
}

impl Session {
    /// Waits until the rate budget, if any, lets one more request go.
    async fn wait_for_budget(&self) {
        let Some(budget) = &self.inner.budget else {
            return;
        };
        while let Some(wait) = budget.try_take().await {
            tracing::trace!(?wait, "rate budget: waiting");
            self.inner.sleeper.sleep(wait).await;
        }
    }
}

/// Whether a request of `method` that met this transport failure may be sent again.
pub(crate) fn retry_transport(method: &Method, error: &TransportError) -> bool {
    match error.kind() {
        TransportErrorKind::Connect => true,
        TransportErrorKind::Timeout | TransportErrorKind::Io => is_idempotent(method),
        _ => false,
    }
}

/// Whether a request of `method` answered with `status` may be sent again.
pub(crate) fn retry_status(method: &Method, status: StatusCode) -> bool {
    is_idempotent(method)
        && matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        )
}

/// How long the server asks to wait before the next try: the `Retry-After` header of a 429
/// or 503 answer, in seconds or as an HTTP date (a date in the past means now).
pub(crate) fn retry_after(status: StatusCode, headers: &http::HeaderMap) -> Option<Duration> {
    if !matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        return None;
    }
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let delays: Vec<_> = RetryPolicy::default()
            .max_retries(4)
            .min_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300))
            .without_jitter()
            .delays()
            .collect();
        let ms: Vec<u128> = delays.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200, 300, 300]);
        assert_eq!(RetryPolicy::none().delays().count(), 0);
    }

    #[test]
    fn jitter_stays_within_twice_the_delay() {
        for delay in RetryPolicy::default().max_retries(3).delays() {
            assert!(delay <= Duration::from_millis(2 * 400), "{delay:?}");
        }
    }

    fn headers(retry_after: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_str(retry_after).unwrap(),
        );
        headers
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let busy = StatusCode::SERVICE_UNAVAILABLE;
        assert_eq!(
            retry_after(busy, &headers("2")),
            Some(Duration::from_secs(2))
        );
        let in_ten = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let wait = retry_after(StatusCode::TOO_MANY_REQUESTS, &headers(&in_ten)).unwrap();
        assert!(
            wait > Duration::from_secs(8) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(10));
        assert_eq!(retry_after(busy, &headers(&past)), Some(Duration::ZERO));
        assert_eq!(retry_after(busy, &headers("soon")), None);
        assert_eq!(retry_after(busy, &http::HeaderMap::new()), None);
        // Only a 429 or a 503 asks the client to wait.
        assert_eq!(retry_after(StatusCode::BAD_GATEWAY, &headers("2")), None);
    }

    #[test]
    fn only_safe_requests_are_retried() {
        let connect = TransportError::new(TransportErrorKind::Connect, "refused");
        let io = TransportError::new(TransportErrorKind::Io, "reset");
        let tls = TransportError::new(TransportErrorKind::Tls, "bad cert");
        assert!(retry_transport(&Method::POST, &connect));
        assert!(!retry_transport(&Method::POST, &io));
        assert!(retry_transport(&Method::PUT, &io));
        assert!(!retry_transport(&Method::GET, &tls));
        assert!(retry_status(&Method::GET, StatusCode::SERVICE_UNAVAILABLE));
        assert!(!retry_status(
            &Method::POST,
            StatusCode::SERVICE_UNAVAILABLE
        ));
        assert!(!retry_status(
            &Method::GET,
            StatusCode::INTERNAL_SERVER_ERROR
        ));
    }
}
