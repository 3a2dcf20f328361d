//! `SessionBuilder`: how a session is configured.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::retry::{RetryPolicy, SharedSleeper, Sleeper, TimerSleeper};
use super::{ApiKey, Inner, Session};
use crate::cache::{Cache, MemoryCache, NoCache};
use crate::error::{Error, Result};
use crate::transport::{BodyLimit, Transport};
use crate::wire::Protocol;

/// The endpoint of the Clevertim service.
pub const DEFAULT_ENDPOINT: &str = "https://www.clevertim.com/api";

/// How many requests [`Session::load_many`] keeps in flight by default.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// From how many uncached objects on [`Session::load_many`] fetches the resource's whole list
/// instead, by default: as many as go out in one concurrent wave of single `GET`s
/// ([`DEFAULT_MAX_IN_FLIGHT`]), beyond which one list costs fewer round trips.
pub const DEFAULT_LIST_THRESHOLD: usize = DEFAULT_MAX_IN_FLIGHT;

/// Configures a [`Session`]; made by [`Session::builder`].
pub struct SessionBuilder {
    api_key: ApiKey,
    endpoint: String,
    transport: Option<Arc<dyn Transport>>,
    cache: Option<Arc<dyn Cache>>,
    max_in_flight: usize,
    retry: RetryPolicy,
    sleeper: SharedSleeper,
    body_limit: BodyLimit,
    allow_insecure_http: bool,
    list_threshold: usize,
    list_after_misses: Option<usize>,
}

impl SessionBuilder {
    pub(crate) fn new(api_key: ApiKey) -> Self {
        SessionBuilder {
            api_key,
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            transport: None,
            cache: None,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            retry: RetryPolicy::default(),
            sleeper: Arc::new(TimerSleeper),
            body_limit: BodyLimit::DEFAULT,
            allow_insecure_http: false,
            list_threshold: DEFAULT_LIST_THRESHOLD,
            list_after_misses: None,
        }
    }

    /// The API's base URL (default `https://www.clevertim.com/api`), e.g. a local sandbox's.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The transport that sends the requests.
    pub fn transport(self, transport: impl Transport + 'static) -> Self {
        self.transport_arc(Arc::new(transport))
    }

    /// The transport that sends the requests, already shared.
    pub fn transport_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Whether a transport was given.
    pub fn has_transport(&self) -> bool {
        self.transport.is_some()
    }

    /// The cache of loaded objects (default: a [`MemoryCache`] of 10,000 objects).
    pub fn cache(mut self, cache: impl Cache + 'static) -> Self {
        self.cache = Some(Arc::new(cache));
        self
    }

    /// A default-sized in-memory cache whose entries expire after `ttl`.
    pub fn cache_ttl(self, ttl: Duration) -> Self {
        self.cache(MemoryCache::with_ttl(MemoryCache::DEFAULT_CAPACITY, ttl))
    }

    /// No cache: every load is a request.
    pub fn no_cache(self) -> Self {
        self.cache(NoCache)
    }

    /// How many requests [`Session::load_many`] keeps in flight at once (default 16, at least 1).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }

    /// From how many objects not cached yet [`Session::load_many`] and [`Session::load_for`]
    /// fetch the resource's whole list once instead of one `GET` per object (default 16; at
    /// least 1). A list costs one request but carries every object of the resource: on an
    /// account with a very large resource, raise it; `usize::MAX` turns it off.
    ///
    /// ```
    /// # use clevertim_core::Session;
    /// let builder = Session::builder("KEY").list_threshold(100);
    /// # let _ = builder;
    /// ```
    pub fn list_threshold(mut self, n: usize) -> Self {
        self.list_threshold = n.max(1);
        self
    }

    /// After `n` single loads of one resource that missed the cache, the next miss fetches
    /// the resource's whole list instead, caching every object (off by default: a long-lived
    /// session must not pull a large list unasked). For scripts that walk relations object by
    /// object.
    ///
    /// ```
    /// # use clevertim_core::Session;
    /// let builder = Session::builder("KEY").list_after_misses(10);
    /// # let _ = builder;
    /// ```
    pub fn list_after_misses(mut self, n: usize) -> Self {
        self.list_after_misses = Some(n.max(1));
        self
    }

    /// When failed requests are tried again (default: [`RetryPolicy::default`], two retries
    /// with jittered backoff, idempotent verbs only but for connect failures).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How the session waits between retries (default: [`TimerSleeper`], runtime-free); give
    /// e.g. a tokio sleep, or an instant one in tests.
    pub fn sleeper(mut self, sleeper: impl Sleeper + 'static) -> Self {
        self.sleeper = Arc::new(sleeper);
        self
    }

    /// The largest answer the session accepts, in bytes (default 256 MiB, [`BodyLimit::DEFAULT`]).
    /// A transport stops reading an answer as soon as it grows past the limit and the call
    /// fails with a [`TransportErrorKind::TooLarge`](crate::TransportErrorKind::TooLarge)
    /// error naming it: memory stays bounded whatever a server sends.
    ///
    /// ```
    /// # use clevertim_core::Session;
    /// let builder = Session::builder("KEY").body_limit(16 * 1024 * 1024);
    /// # let _ = builder;
    /// ```
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = BodyLimit::new(bytes);
        self
    }

    /// Allows a plain `http://` endpoint on a host that is not loopback. Without it,
    /// [`build`](Self::build) refuses such an endpoint: the API key would travel unencrypted,
    /// readable by anyone on the way. Loopback (`localhost`, `127.0.0.1`, `[::1]`) is always
    /// allowed, for local sandboxes and tests.
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Session};
    /// # let transport = transport_fn(|_| async { unreachable!() });
    /// let refused = Session::builder("KEY")
    ///     .endpoint("http://crm.internal.example/api")
    ///     .transport(transport.clone())
    ///     .build();
    /// assert!(refused.unwrap_err().to_string().contains("allow_insecure_http"));
    /// let allowed = Session::builder("KEY")
    ///     .endpoint("http://crm.internal.example/api")
    ///     .allow_insecure_http()
    ///     .transport(transport)
    ///     .build();
    /// assert!(allowed.is_ok());
    /// ```
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// The session; fails when the endpoint or the API key cannot be used, or no transport
    /// was given.
    pub fn build(self) -> Result<Session> {
        let transport = self.transport.ok_or_else(|| {
            Error::Config(
                "no transport: enable a transport feature of the `clevertim` crate \
                 (`hyper` or `isahc`) or pass one with `.transport(..)`"
                    .into(),
            )
        })?;
        let protocol = Protocol::new(&self.endpoint, self.api_key, self.allow_insecure_http)?;
        Ok(Session {
            inner: Arc::new(Inner {
                protocol,
                transport,
                cache: self
                    .cache
                    .unwrap_or_else(|| Arc::new(MemoryCache::default())),
                max_in_flight: self.max_in_flight,
                retry: self.retry,
                sleeper: self.sleeper,
                body_limit: self.body_limit,
                coherence: Default::default(),
                list_threshold: self.list_threshold,
                list_after_misses: self.list_after_misses,
                misses: Default::default(),
            }),
        })
    }
}

impl fmt::Debug for SessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("api_key", &self.api_key)
            .field("endpoint", &self.endpoint)
            .field("transport", &self.transport)
            .field("cache", &self.cache)
            .field("max_in_flight", &self.max_in_flight)
            .field("retry", &self.retry)
            .field("sleeper", &self.sleeper)
            .field("body_limit", &self.body_limit)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("list_threshold", &self.list_threshold)
            .field("list_after_misses", &self.list_after_misses)
            .finish()
    }
}
