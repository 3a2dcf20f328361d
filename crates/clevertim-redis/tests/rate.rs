//! A `429` with `Retry-After` seen by one replica makes every replica wait.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BoxFuture, Contact, RetryPolicy, Session, Sleeper, transport_fn};
use clevertim_redis::RedisStore;
use clevertim_testservers::RedisServer;

/// Sleeps for real, and remembers how long it was asked to.
#[derive(Debug, Clone, Default)]
struct Recorded(Arc<Mutex<Vec<Duration>>>);

impl Sleeper for Recorded {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(tokio::time::sleep(duration))
    }
}

fn session(redis: &RedisServer, status: u16, sleeper: Recorded) -> Session {
    let transport = transport_fn(move |request: http::Request<Bytes>| async move {
        let id = request
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("0")
            .to_owned();
        let body = format!(r#"{{"status":"OK","content":[{{"id":{id},"fn":"Jane"}}]}}"#);
        let mut response = http::Response::new(Bytes::from(body));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        if status == 429 {
            response
                .headers_mut()
                .insert("retry-after", http::HeaderValue::from_static("1"));
        }
        Ok(response)
    });
    Session::builder("KEY")
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport)
        .store(RedisStore::new(&redis.url()).unwrap())
        .rate_limit(1_000, 10)
        .retry(RetryPolicy::none())
        .sleeper(sleeper)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_429_seen_by_one_replica_makes_the_others_wait() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (a_waits, b_waits) = (Recorded::default(), Recorded::default());
    let a = session(&redis, 429, a_waits.clone());
    let b = session(&redis, 200, b_waits.clone());

    assert!(b.load::<Contact>(4).await.is_ok());
    assert!(
        b_waits.0.lock().unwrap().is_empty(),
        "a budget with room: no wait"
    );

    let refused = a.load::<Contact>(5).await.unwrap_err();
    assert_eq!(
        refused.retry_after(),
        Some(Duration::from_secs(1)),
        "{refused:?}"
    );
    // B never saw the 429, yet waits for the pause A recorded in Redis.
    b.load::<Contact>(6).await.unwrap();
    let waited: Duration = b_waits.0.lock().unwrap().iter().sum();
    assert!(waited >= Duration::from_millis(800), "B waited {waited:?}");
}
