//! A transport that holds back one answer (after the server sent it, before the session sees
//! it) until another process says so, through keys in the shared Redis; and one that delays
//! every answer a little at random, to widen the windows in which requests overlap.

use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BoxFuture, Transport, TransportError};
use redis::AsyncCommands as _;

#[derive(Debug)]
pub(crate) struct Held<T> {
    pub(crate) inner: T,
    /// Hold the answers to this method (on any path).
    pub(crate) method: Option<http::Method>,
    /// The name under which the hold is announced (`test:held:NAME`) and released
    /// (`test:release:NAME`).
    pub(crate) name: String,
    pub(crate) redis: redis::Client,
    /// At most this long between two answers, at random (0: none).
    pub(crate) jitter: Duration,
}

/// Polls `key` in Redis until it exists (at most 20 s).
pub(crate) async fn wait_for(redis: &redis::Client, key: &str) {
    let mut c = redis
        .get_multiplexed_async_connection()
        .await
        .expect("Redis reachable");
    for _ in 0..2_000 {
        let found: bool = c.exists(key).await.unwrap_or(false);
        if found {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{key} never appeared");
}

impl<T: Transport> Transport for Held<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let hold = self.method.as_ref() == Some(request.method());
        Box::pin(async move {
            let answer = self.inner.send(request).await;
            if hold {
                let mut c = self
                    .redis
                    .get_multiplexed_async_connection()
                    .await
                    .expect("Redis reachable");
                let _: () = c
                    .set(format!("test:held:{}", self.name), 1)
                    .await
                    .expect("SET");
                wait_for(&self.redis, &format!("test:release:{}", self.name)).await;
            } else if !self.jitter.is_zero() {
                let max = u64::try_from(self.jitter.as_micros()).unwrap_or(1);
                tokio::time::sleep(Duration::from_micros(fastrand::u64(0..max))).await;
            }
            answer
        })
    }
}
