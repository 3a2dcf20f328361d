//! The connection to Redis: every call bounded by a timeout; a failure turns the store off
//! (one `tracing` warning) until a call succeeds again, after it has started a new epoch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{FromRedisValue, Script};

/// One connection (multiplexed: every task of the process shares it), made on first use and
/// again after a failure, at most once per `retry_every`.
pub(crate) struct Link {
    client: redis::Client,
    connection: Mutex<Option<MultiplexedConnection>>,
    next_attempt: Mutex<Option<Instant>>,
    pub(crate) timeout: Duration,
    retry_every: Duration,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: only where it goes.
        let info = self.client.get_connection_info();
        f.debug_struct("Link")
            .field("addr", &info.addr().to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What went wrong with one call (kept for the warning).
#[derive(Debug)]
pub(crate) enum Failure {
    Unreachable(String),
    TimedOut,
    Redis(redis::RedisError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(why) => write!(f, "cannot connect: {why}"),
            Failure::TimedOut => f.write_str("no answer within the timeout"),
            Failure::Redis(e) => write!(f, "{e}"),
        }
    }
}

impl Link {
    pub(crate) fn new(client: redis::Client, timeout: Duration, retry_every: Duration) -> Self {
        Link {
            client,
            connection: Mutex::new(None),
            next_attempt: Mutex::new(None),
            timeout,
            retry_every,
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, Failure> {
        if let Some(connection) = lock(&self.connection).clone() {
            return Ok(connection);
        }
        {
            let mut next = lock(&self.next_attempt);
            let now = Instant::now();
            if next.is_some_and(|at| now < at) {
                return Err(Failure::Unreachable(
                    "waiting before the next attempt".into(),
                ));
            }
            *next = Some(now + self.retry_every);
        }
        let connecting = self.client.get_multiplexed_async_connection();
        match tokio::time::timeout(self.timeout, connecting).await {
            Ok(Ok(connection)) => {
                *lock(&self.connection) = Some(connection.clone());
                Ok(connection)
            }
            Ok(Err(e)) => Err(Failure::Unreachable(e.to_string())),
            Err(_) => Err(Failure::TimedOut),
        }
    }

    /// Runs `script` with `args` (EVALSHA; loaded on demand when the server does not know it).
    pub(crate) async fn run<T: FromRedisValue>(
        &self,
        script: &Script,
        args: &[Vec<u8>],
    ) -> Result<T, Failure> {
        let mut connection = self.connection().await?;
        let mut invocation = script.prepare_invoke();
        for arg in args {
            invocation.arg(arg.as_slice());
        }
        match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => {
                if e.is_io_error() || e.is_connection_dropped() || e.is_unrecoverable_error() {
                    *lock(&self.connection) = None;
                }
                Err(Failure::Redis(e))
            }
            Err(_) => {
                // A late answer on this connection would be read as another call's.
                *lock(&self.connection) = None;
                Err(Failure::TimedOut)
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether a namespace's store may be used, and the warning when it stops being usable.
#[derive(Debug)]
pub(crate) struct Health {
    healthy: AtomicBool,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            healthy: AtomicBool::new(true),
        }
    }
}

impl Health {
    pub(crate) fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    /// A call failed: the store is off until it has started a new epoch.
    pub(crate) fn failed(&self, step: &str, failure: &Failure) {
        if self.healthy.swap(false, Ordering::AcqRel) {
            tracing::warn!(
                step,
                error = %failure,
                "Redis store unusable: the session goes on without the shared cache"
            );
        } else {
            tracing::debug!(step, error = %failure, "Redis store still unusable");
        }
    }

    pub(crate) fn recovered(&self) {
        if !self.healthy.swap(true, Ordering::AcqRel) {
            tracing::info!(
                "Redis store usable again (new epoch: entries from before are not served)"
            );
        }
    }
}
