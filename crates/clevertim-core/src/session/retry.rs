//! Retries with jittered exponential backoff: in the core, so every transport behaves alike.
//!
//! Only what cannot have changed anything twice is retried: a failure to connect (no byte
//! reached the server) for any verb; a timeout, a broken connection or a 429/502/503/504
//! answer for the idempotent verbs (`GET`, `PUT`, `DELETE`) only, never for a `POST`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use backon::BackoffBuilder as _;
use http::{Method, StatusCode};

use crate::transport::{BoxFuture, TransportError, TransportErrorKind};

/// How often and how patiently a failed request is tried again.
///
/// ```
/// use std::time::Duration;
/// use clevertim_core::RetryPolicy;
/// let patient = RetryPolicy::default().max_retries(5).max_delay(Duration::from_secs(10));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Two retries, waiting about 100 ms then 200 ms; the backoff is capped at 2 s and jitter
    /// then adds up to as much again.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// How many times a request is tried again after its first failure.
    pub fn max_retries(mut self, n: usize) -> Self {
        self.max_retries = n;
        self
    }

    /// The wait before the first retry; it doubles for each one after.
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The cap of the backoff between two tries (jitter may add up to as much again).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Waits exactly the computed delays, without random jitter (for reproducible tests).
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
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The default [`Sleeper`]: a timer thread, so it works under any executor.
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

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD
    )
}

#[cfg(test)]
mod tests {
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
