//! `SessionBuilder`: how a session is configured.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::retry::{RetryPolicy, SharedSleeper, Sleeper, TimerSleeper};
use super::{ApiKey, Inner, Session};
use crate::cache::{Cache, MemoryCache, NoCache};
use crate::error::{Error, Result};
use crate::rate::{LocalBudget, RateBudget};
use crate::store::{LocalStore, Namespace, Store};
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

/// Configures a [`Session`]; made by [`Session::builder`]. Every setting has a default but
/// the transport (the `clevertim` facade picks one by cargo feature).
///
/// ```
/// use std::time::Duration;
/// use clevertim::{RetryPolicy, Session};
/// # let canned = clevertim::transport_fn(|_: http::Request<bytes::Bytes>| async {
/// #     Ok(http::Response::new(bytes::Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
/// # });
///
/// let session = Session::builder("MY_API_KEY")
///     .endpoint("http://127.0.0.1:8080/api")        // a local sandbox (default: the service)
///     .transport(canned)                             // how requests are sent
///     .cache_ttl(Duration::from_secs(300))           // forget objects after five minutes
///     .retry(RetryPolicy::default().max_retries(4))  // more patience than the default two
///     .build()?;
/// assert_eq!(session.endpoint(), "http://127.0.0.1:8080/api");
/// # Ok::<(), clevertim::Error>(())
/// ```
pub struct SessionBuilder {
    api_key: ApiKey,
    endpoint: String,
    transport: Option<Arc<dyn Transport>>,
    store: Option<Arc<dyn Store>>,
    rate_limit: Option<(u32, u32)>,
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
            store: None,
            rate_limit: None,
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
    ///
    /// ```
    /// # use clevertim::Session;
    /// let builder = Session::builder("KEY").endpoint("http://127.0.0.1:8080/api");
    /// # let _ = builder;
    /// ```
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The transport that sends the requests.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{transport_fn, Session};
    /// let canned = transport_fn(|_request: http::Request<Bytes>| async {
    ///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
    /// });
    /// let session = Session::builder("KEY").transport(canned).build()?;
    /// # let _ = session;
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn transport(self, transport: impl Transport + 'static) -> Self {
        self.transport_arc(Arc::new(transport))
    }

    /// The transport that sends the requests, already shared.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{transport_fn, Session, Transport};
    /// let shared: Arc<dyn Transport> = Arc::new(transport_fn(|_request: http::Request<Bytes>| async {
    ///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
    /// }));
    /// // Two accounts, one connection pool.
    /// let alice = Session::builder("ALICE_KEY").transport_arc(shared.clone()).build()?;
    /// let bob = Session::builder("BOB_KEY").transport_arc(shared).build()?;
    /// # let _ = (alice, bob);
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn transport_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Whether a transport was given. (The core's builder only: the facade's
    /// `clevertim::SessionBuilder` picks a transport itself.)
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Session};
    /// # let canned = transport_fn(|_: http::Request<bytes::Bytes>| async { unreachable!() });
    /// let builder = Session::builder("KEY");
    /// assert!(!builder.has_transport());
    /// assert!(builder.transport(canned).has_transport());
    /// ```
    pub fn has_transport(&self) -> bool {
        self.transport.is_some()
    }

    /// The cache of loaded objects (default: a [`MemoryCache`] of 10,000 objects).
    ///
    /// ```
    /// use clevertim::{MemoryCache, Session};
    /// let builder = Session::builder("KEY").cache(MemoryCache::new(100_000));
    /// # let _ = builder;
    /// ```
    pub fn cache(self, cache: impl Cache + 'static) -> Self {
        self.store(LocalStore::new(cache))
    }

    /// Where the session keeps what it loaded, with the coherence protocol (default: a
    /// [`LocalStore`] over a [`MemoryCache`]). A store shared by several processes, such as
    /// `clevertim_redis::RedisStore`, keeps every replica of a service coherent; the session
    /// scopes it to its endpoint and account.
    ///
    /// ```
    /// use clevertim_core::{LocalStore, MemoryCache, Session};
    /// let builder = Session::builder("KEY").store(LocalStore::new(MemoryCache::new(1_000)));
    /// # let _ = builder;
    /// ```
    pub fn store(mut self, store: impl Store + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// At most `per_second` requests a second, `burst` at once (retries included): the
    /// session waits (with its [`Sleeper`]) rather than send more. With a shared store (Redis)
    /// the budget is the account's, shared by every replica; otherwise it is this session's.
    /// A `429` answer's `Retry-After` makes every holder of the budget wait.
    ///
    /// ```
    /// use clevertim_core::Session;
    /// let builder = Session::builder("KEY").rate_limit(10, 5);
    /// # let _ = builder;
    /// ```
    pub fn rate_limit(mut self, per_second: u32, burst: u32) -> Self {
        self.rate_limit = Some((per_second, burst));
        self
    }

    /// A default-sized in-memory cache whose entries expire after `ttl`.
    ///
    /// ```
    /// use std::time::Duration;
    /// # use clevertim::Session;
    /// let builder = Session::builder("KEY").cache_ttl(Duration::from_secs(60));
    /// # let _ = builder;
    /// ```
    pub fn cache_ttl(self, ttl: Duration) -> Self {
        self.cache(MemoryCache::with_ttl(MemoryCache::DEFAULT_CAPACITY, ttl))
    }

    /// No cache: every load is a request.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{transport_fn, Contact, Session};
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// let canned = transport_fn(|_request: http::Request<Bytes>| async {
    ///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[{"id":4}]}"#)))
    /// });
    /// let session = Session::builder("KEY").transport(canned).no_cache().build()?;
    /// session.load::<Contact>(4).await?; // GET
    /// session.load::<Contact>(4).await?; // GET again
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn no_cache(self) -> Self {
        self.cache(NoCache)
    }

    /// How many requests [`Session::load_many`] keeps in flight at once (default 16, at least 1).
    ///
    /// ```
    /// # use clevertim::Session;
    /// let gentle = Session::builder("KEY").max_in_flight(4);
    /// # let _ = gentle;
    /// ```
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
    /// # use clevertim::Session;
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
    /// # use clevertim::Session;
    /// let builder = Session::builder("KEY").list_after_misses(10);
    /// # let _ = builder;
    /// ```
    pub fn list_after_misses(mut self, n: usize) -> Self {
        self.list_after_misses = Some(n.max(1));
        self
    }

    /// When failed requests are tried again (default: [`RetryPolicy::default`], two retries
    /// with jittered backoff, idempotent verbs only but for connect failures).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::{RetryPolicy, Session};
    /// let patient = RetryPolicy::default().max_retries(5).max_delay(Duration::from_secs(10));
    /// let builder = Session::builder("KEY").retry(patient);
    /// let impatient = Session::builder("KEY").retry(RetryPolicy::none());
    /// # let _ = (builder, impatient);
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How the session waits between retries (default: [`TimerSleeper`], runtime-free); give
    /// e.g. a tokio sleep, or an instant one in tests.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::{BoxFuture, Session, Sleeper};
    ///
    /// /// Does not wait at all: retries in a test run at once.
    /// #[derive(Debug)]
    /// struct NoWait;
    /// impl Sleeper for NoWait {
    ///     fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
    ///         Box::pin(async {})
    ///     }
    /// }
    /// let builder = Session::builder("KEY").sleeper(NoWait);
    /// # let _ = builder;
    /// ```
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
    /// # use clevertim::Session;
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
    /// # use clevertim::{transport_fn, Session};
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

    /// The session.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no transport was given; when the endpoint is not an absolute
    /// `http(s)` URL free of query, fragment and credentials, or is plain `http` to a host
    /// that is not loopback without [`allow_insecure_http`](Self::allow_insecure_http); or
    /// when the API key cannot be sent in a header.
    ///
    /// ```
    /// use clevertim::{Error, Session};
    /// let not_http = Session::builder("KEY").endpoint("ftp://example.com/api").build();
    /// assert!(matches!(not_http, Err(Error::Config(_))));
    /// ```
    pub fn build(self) -> Result<Session> {
        let transport = self.transport.ok_or_else(|| {
            Error::Config(
                "no transport: enable a transport feature of the `clevertim` crate \
                 (`hyper` or `isahc`) or pass one with `.transport(..)`"
                    .into(),
            )
        })?;
        let api_key = self.api_key.clone();
        let protocol = Protocol::new(&self.endpoint, self.api_key, self.allow_insecure_http)?;
        let scope = Namespace::new(protocol.endpoint(), api_key.expose_secret());
        let store = match self.store {
            Some(store) => store.scoped(&scope),
            None => Arc::new(LocalStore::default()),
        };
        let budget = match self.rate_limit {
            None => None,
            Some((per_second, burst)) => Some(match store.rate_budget(per_second, burst) {
                Some(shared) => shared,
                None => Arc::new(LocalBudget::new(per_second, burst).ok_or_else(|| {
                    Error::Config("a rate limit needs at least one request a second".into())
                })?) as Arc<dyn RateBudget>,
            }),
        };
        Ok(Session {
            inner: Arc::new(Inner {
                protocol,
                transport,
                store,
                budget,
                max_in_flight: self.max_in_flight,
                retry: self.retry,
                sleeper: self.sleeper,
                body_limit: self.body_limit,
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
            .field("store", &self.store)
            .field("rate_limit", &self.rate_limit)
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
