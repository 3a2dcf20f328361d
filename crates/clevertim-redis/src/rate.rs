//! [`RedisBudget`]: the account's rate budget, shared by every replica through Redis.

use std::time::Duration;

use clevertim_core::{BoxFuture, LocalBudget, RateBudget};

use crate::scripts;
use crate::store::RedisStore;

/// The rate budget of every replica of one account: GCRA in one script on the server's
/// clock, and a pause (a `429`'s `Retry-After`) that every replica honours. Made by
/// [`SessionBuilder::rate_limit`](clevertim_core::SessionBuilder::rate_limit) on a session
/// whose store is a [`RedisStore`].
///
/// Redis out of reach, each replica falls back to a budget of its own (the same rate), until
/// Redis answers again.
///
/// ```no_run
/// let store = clevertim_redis::RedisStore::new("redis://127.0.0.1:6379/")?;
/// let session = clevertim::Session::builder("API_KEY")
///     .store(store)
///     .rate_limit(10, 5) // 10 requests a second for all replicas together, 5 at once
///     .build()?;
/// # let _ = session;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RedisBudget {
    store: RedisStore,
    interval_us: u64,
    tolerance_us: u64,
    fallback: LocalBudget,
}

impl RedisBudget {
    pub(crate) fn new(store: RedisStore, per_second: u32, burst: u32) -> Option<Self> {
        let fallback = LocalBudget::new(per_second, burst)?;
        let interval_us = 1_000_000 / u64::from(per_second).max(1);
        Some(RedisBudget {
            store,
            interval_us: interval_us.max(1),
            tolerance_us: interval_us * u64::from(burst.saturating_sub(1)),
            fallback,
        })
    }
}

impl RateBudget for RedisBudget {
    fn try_take(&self) -> BoxFuture<'_, Option<Duration>> {
        Box::pin(async move {
            let args = [
                self.store.prefix().as_bytes().to_vec(),
                self.interval_us.to_string().into_bytes(),
                self.tolerance_us.to_string().into_bytes(),
            ];
            match self.store.call::<u64>("rate", &scripts::TAKE, &args).await {
                Some(0) => None,
                Some(wait) => Some(Duration::from_micros(wait)),
                None => self.fallback.take_now(),
            }
        })
    }

    fn pause(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.fallback.pause_now(duration);
            let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
            let args = [
                self.store.prefix().as_bytes().to_vec(),
                micros.to_string().into_bytes(),
            ];
            let _: Option<i64> = self.store.call("rate_pause", &scripts::PAUSE, &args).await;
        })
    }
}
