//! `rate_limit`: a session without a shared store keeps a budget of its own, waits rather
//! than send past it, and honours a `429`'s `Retry-After` before its next request.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BoxFuture, Contact, Error, RetryPolicy, Session, Sleeper, transport_fn};

#[derive(Debug, Clone, Default)]
struct Recorded(Arc<Mutex<Vec<Duration>>>);

impl Sleeper for Recorded {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        clevertim_core::TimerSleeper.sleep(duration)
    }
}

fn session(rate: u32, burst: u32, sleeper: Recorded, first_is_429: bool) -> Session {
    let calls = Arc::new(Mutex::new(0));
    let transport = transport_fn(move |request: http::Request<Bytes>| {
        let calls = calls.clone();
        async move {
            let id = request
                .uri()
                .path()
                .rsplit('/')
                .next()
                .unwrap_or("0")
                .to_owned();
            let body = format!(r#"{{"status":"OK","content":[{{"id":{id}}}]}}"#);
            let mut response = http::Response::new(Bytes::from(body));
            let mut calls = calls.lock().unwrap();
            *calls += 1;
            if first_is_429 && *calls == 1 {
                *response.status_mut() = http::StatusCode::TOO_MANY_REQUESTS;
                response
                    .headers_mut()
                    .insert("retry-after", http::HeaderValue::from_static("1"));
            }
            Ok(response)
        }
    });
    Session::builder("KEY")
        .transport(transport)
        .no_cache()
        .rate_limit(rate, burst)
        .retry(RetryPolicy::none())
        .sleeper(sleeper)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_session_waits_rather_than_exceed_its_budget() {
    let waits = Recorded::default();
    let session = session(20, 2, waits.clone(), false);
    for id in 0..4 {
        session.load::<Contact>(id).await.unwrap();
    }
    let waited: Duration = waits.0.lock().unwrap().iter().sum();
    // Two at once, then one every 50 ms: the last two waited about 100 ms in all.
    assert!(waited >= Duration::from_millis(80), "waited {waited:?}");
}

#[tokio::test]
async fn a_429_pauses_the_budget() {
    let waits = Recorded::default();
    let session = session(1_000, 10, waits.clone(), true);
    let refused = session.load::<Contact>(1).await.unwrap_err();
    assert_eq!(
        refused.retry_after(),
        Some(Duration::from_secs(1)),
        "{refused:?}"
    );
    assert!(waits.0.lock().unwrap().is_empty());
    session.load::<Contact>(2).await.unwrap();
    let waited: Duration = waits.0.lock().unwrap().iter().sum();
    assert!(waited >= Duration::from_millis(800), "waited {waited:?}");
}

#[test]
fn a_rate_of_zero_is_refused() {
    let built = Session::builder("KEY")
        .transport(transport_fn(|_r: http::Request<Bytes>| async {
            unreachable!()
        }))
        .rate_limit(0, 1)
        .build();
    assert!(matches!(built, Err(Error::Config(_))));
}
