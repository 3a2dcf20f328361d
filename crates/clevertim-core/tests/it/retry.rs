//! Retries: only what is safe to send twice, with the policy's backoff, through the injected
//! sleeper (so these tests never wait).
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clevertim_core::{
    BoxFuture, Contact, Error, RetryPolicy, Sleeper, TransportError, TransportErrorKind,
};
use common::{Script, builder, ok, raw};
use serde_json::json;

/// Records the waits instead of waiting.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Duration>>>);

impl Sleeper for Recorder {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(2)
        .min_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(15))
        .without_jitter()
}

fn failure(kind: TransportErrorKind) -> common::Reply {
    Err(TransportError::new(kind, "simulated"))
}

#[tokio::test]
async fn a_get_is_retried_after_connect_failures_with_backoff() {
    let script = Script::new()
        .times(2, "GET /api/contact/4", |_| {
            failure(TransportErrorKind::Connect)
        })
        .then("GET /api/contact/4", ok(json!([{"id": 4}])));
    let waits = Recorder::default();
    let session = builder(script)
        .retry(policy())
        .sleeper(waits.clone())
        .build()
        .unwrap();
    let c: Contact = session.load(4).await.unwrap();
    assert_eq!(c.key(), Some(4.into()));
    assert_eq!(
        *waits.0.lock().unwrap(),
        [Duration::from_millis(10), Duration::from_millis(15)]
    );
}

#[tokio::test]
async fn unavailable_answers_are_retried_then_reported() {
    let script = Script::new().times(3, "GET /api/contact/4", |_| {
        raw(503, "<html>Service Unavailable</html>")
    });
    let session = builder(script)
        .retry(policy())
        .sleeper(Recorder::default())
        .build()
        .unwrap();
    let err = session.load::<Contact>(4).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err}");
}

#[tokio::test]
async fn a_post_is_not_retried_once_bytes_may_have_left() {
    let script = Script::new().then("POST /api/contact", failure(TransportErrorKind::Io));
    let session = builder(script)
        .retry(policy())
        .sleeper(Recorder::default())
        .build()
        .unwrap();
    let mut c = Contact::new();
    c.set_first_name("Once");
    let err = session.save(&mut c).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Io),
        "{err}"
    );
    assert_eq!(c.key(), None);
}

#[tokio::test]
async fn a_post_is_retried_when_it_never_connected() {
    let script = Script::new()
        .then("POST /api/contact", failure(TransportErrorKind::Connect))
        .then("POST /api/contact", ok(json!([{"id": 9, "fn": "Twice"}])));
    let session = builder(script)
        .retry(policy())
        .sleeper(Recorder::default())
        .build()
        .unwrap();
    let mut c = Contact::new();
    c.set_first_name("Twice");
    session.save(&mut c).await.unwrap();
    assert_eq!(c.key(), Some(9.into()));
}

#[tokio::test]
async fn server_errors_that_are_not_transient_are_not_retried() {
    let script = Script::new().then(
        "GET /api/contact/4",
        raw(500, r#"{"status":"ERROR","error":"bad JSON"}"#),
    );
    let session = builder(script)
        .retry(policy())
        .sleeper(Recorder::default())
        .build()
        .unwrap();
    let err = session.load::<Contact>(4).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 500, .. }), "{err}");
}

#[tokio::test]
async fn no_retries_means_one_try() {
    let script = Script::new().then("GET /api/contact/4", failure(TransportErrorKind::Timeout));
    let waits = Recorder::default();
    let session = builder(script)
        .retry(RetryPolicy::none())
        .sleeper(waits.clone())
        .build()
        .unwrap();
    assert!(session.load::<Contact>(4).await.is_err());
    assert!(waits.0.lock().unwrap().is_empty());
}

#[test]
fn the_default_sleeper_needs_no_runtime() {
    let started = std::time::Instant::now();
    block_on_this_thread(clevertim_core::TimerSleeper.sleep(Duration::from_millis(20)));
    assert!(started.elapsed() >= Duration::from_millis(20));
}

/// Drives a future on this thread with a waker that unparks it: no async runtime at all.
fn block_on_this_thread(mut future: BoxFuture<'static, ()>) {
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    while future.as_mut().poll(&mut cx) == Poll::Pending {
        std::thread::park();
    }
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_had_succeeded() {
    let script = Script::new()
        .then(
            "DELETE /api/contact/4",
            failure(TransportErrorKind::Timeout),
        )
        .then(
            "DELETE /api/contact/4",
            raw(404, r#"{"status":"ERROR","error":"no such contact"}"#),
        );
    let session = builder(script)
        .retry(policy())
        .sleeper(Recorder::default())
        .build()
        .unwrap();
    let mut c: Contact = serde_json::from_value(json!({"id": 4})).unwrap();
    session.delete(&mut c).await.unwrap();
    assert_eq!(c.key(), None);
}

/// An answer with `status` and a `Retry-After` header.
fn busy(status: u16, retry_after: &str) -> common::Reply {
    let mut reply = raw(status, "<html>busy</html>")?;
    reply.headers_mut().insert(
        http::header::RETRY_AFTER,
        http::HeaderValue::from_str(retry_after).unwrap(),
    );
    Ok(reply)
}

/// A session over `script` whose waits are recorded.
fn recorded(script: Script, policy: RetryPolicy) -> (clevertim_core::Session, Recorder) {
    let waits = Recorder::default();
    let session = builder(script)
        .retry(policy)
        .sleeper(waits.clone())
        .build()
        .unwrap();
    (session, waits)
}

#[tokio::test]
async fn retry_after_in_seconds_or_as_a_date_is_waited_for() {
    let in_two = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    for (status, wish, at_least) in [(503, "1".to_owned(), 1), (429, in_two, 1)] {
        let script = Script::new()
            .then("GET /api/contact/4", busy(status, &wish))
            .then("GET /api/contact/4", ok(json!([{"id": 4}])));
        let (session, waits) = recorded(script, policy());
        let c: Contact = session.load(4).await.unwrap();
        assert_eq!(c.key(), Some(4.into()));
        let waits = waits.0.lock().unwrap().clone();
        assert_eq!(waits.len(), 1, "{status} {wish}");
        // The server's wish, not the 10 ms backoff.
        assert!(waits[0] >= Duration::from_secs(at_least), "{waits:?}");
        assert!(waits[0] <= Duration::from_secs(2), "{waits:?}");
    }
}

#[tokio::test]
async fn a_wish_beyond_the_cap_fails_at_once_and_says_so() {
    let script = Script::new().then("GET /api/contact/4", busy(429, "3600"));
    let (session, waits) = recorded(script, policy().max_retry_after(Duration::from_secs(30)));
    let err = session.load::<Contact>(4).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 429, .. }), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("retry after 3600 s"), "{err}");
    assert!(waits.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_post_answered_503_is_not_retried_but_carries_the_wish() {
    let script = Script::new().then("POST /api/contact", busy(503, "5"));
    let (session, waits) = recorded(script, policy());
    let mut c = Contact::new();
    c.set_first_name("New");
    let err = session.save(&mut c).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
    assert!(waits.0.lock().unwrap().is_empty());
    assert_eq!(c.key(), None);
}

#[tokio::test]
async fn when_retries_run_out_the_last_wish_is_in_the_error() {
    let script = Script::new().times(3, "GET /api/contact/4", |_| busy(503, "1"));
    let (session, waits) = recorded(script, policy());
    let err = session.load::<Contact>(4).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(
        *waits.0.lock().unwrap(),
        [Duration::from_secs(1), Duration::from_secs(1)]
    );
}
