//! The rate budget: how many requests a session (or every replica of a service) may send per
//! second, so that the account's API limit is met before the server has to refuse.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota};

use crate::transport::BoxFuture;

/// A budget of requests shared by whoever holds it: the session takes one before every
/// request it sends (retries included), and waits when there is none.
///
/// [`LocalBudget`] is the budget of one process; a shared store provides one for every
/// replica (`clevertim_redis`, through [`Store::rate_budget`](crate::Store::rate_budget)).
///
/// ```
/// use std::time::Duration;
/// use clevertim::{BoxFuture, RateBudget};
///
/// /// Never more than nothing: every request waits a second, forever (a test's budget).
/// #[derive(Debug)]
/// struct Closed;
/// impl RateBudget for Closed {
///     fn try_take(&self) -> BoxFuture<'_, Option<Duration>> {
///         Box::pin(async { Some(Duration::from_secs(1)) })
///     }
///     fn pause(&self, _: Duration) -> BoxFuture<'_, ()> {
///         Box::pin(async {})
///     }
/// }
/// ```
pub trait RateBudget: Send + Sync + fmt::Debug {
    /// Takes one request from the budget and returns `None`; or, when there is none now,
    /// takes nothing and returns how long to wait before asking again.
    fn try_take(&self) -> BoxFuture<'_, Option<Duration>>;

    /// Makes every holder of the budget wait `duration` (a `429` answer's `Retry-After`).
    fn pause(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The budget of one process: a GCRA limiter (`governor`) of `per_second` requests, `burst` at
/// once, plus the pause of the last `429`.
///
/// ```
/// use clevertim::{LocalBudget, RateBudget};
/// let budget = LocalBudget::new(10, 2).expect("non-zero");
/// # futures_util::future::FutureExt::now_or_never(async {
/// assert_eq!(budget.try_take().await, None);            // the burst: two at once
/// assert_eq!(budget.try_take().await, None);
/// assert!(budget.try_take().await.is_some(), "then one per 100 ms");
/// # }).unwrap();
/// ```
pub struct LocalBudget {
    limiter: DefaultDirectRateLimiter,
    clock: DefaultClock,
    paused_until: Mutex<Option<Instant>>,
}

impl LocalBudget {
    /// A budget of `per_second` requests, `burst` at once; `None` when either is zero.
    ///
    /// ```
    /// assert!(clevertim::LocalBudget::new(0, 1).is_none());
    /// ```
    pub fn new(per_second: u32, burst: u32) -> Option<Self> {
        let quota =
            Quota::per_second(NonZeroU32::new(per_second)?).allow_burst(NonZeroU32::new(burst)?);
        let clock = DefaultClock::default();
        Some(LocalBudget {
            limiter: governor::RateLimiter::direct_with_clock(quota, clock.clone()),
            clock,
            paused_until: Mutex::new(None),
        })
    }

    /// [`RateBudget::try_take`], without a future.
    ///
    /// ```
    /// let budget = clevertim::LocalBudget::new(1, 1).expect("non-zero");
    /// assert_eq!(budget.take_now(), None);
    /// assert!(budget.take_now().is_some());
    /// ```
    pub fn take_now(&self) -> Option<Duration> {
        let paused = *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(wait) = paused.and_then(|until| until.checked_duration_since(Instant::now())) {
            if !wait.is_zero() {
                return Some(wait);
            }
        }
        match self.limiter.check() {
            Ok(()) => None,
            Err(not_until) => Some(not_until.wait_time_from(self.clock.now())),
        }
    }

    /// [`RateBudget::pause`], without a future.
    ///
    /// ```
    /// use std::time::Duration;
    /// let budget = clevertim::LocalBudget::new(100, 10).expect("non-zero");
    /// budget.pause_now(Duration::from_secs(2));
    /// assert!(budget.take_now().is_some_and(|wait| wait > Duration::from_secs(1)));
    /// ```
    pub fn pause_now(&self, duration: Duration) {
        let until = Instant::now() + duration;
        let mut paused = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|now| now < until) {
            *paused = Some(until);
        }
    }
}

impl fmt::Debug for LocalBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalBudget").finish_non_exhaustive()
    }
}

impl RateBudget for LocalBudget {
    fn try_take(&self) -> BoxFuture<'_, Option<Duration>> {
        Box::pin(std::future::ready(self.take_now()))
    }

    fn pause(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.pause_now(duration);
        Box::pin(std::future::ready(()))
    }
}
