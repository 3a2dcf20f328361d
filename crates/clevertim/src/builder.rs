//! The facade's `SessionBuilder`: the core's, plus the choice of a compiled-in transport.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use clevertim_core::{Cache, Error, Result, Transport};

use crate::Session;
use crate::backend::{self, Backend, TransportOptions};
use crate::layers::Layers;

/// Configures a [`Session`] (made by [`Session::builder`]) or, with the `blocking` feature, a
/// `blocking::Session`.
///
/// Without [`transport`](Self::transport), `build()` makes the transport of the chosen
/// [`Backend`] (hyper by default). The transport settings (`backend`, `connect_timeout`,
/// `request_timeout`, `proxy`, `no_proxy`) apply to that transport only: a transport you give is
/// used as you configured it. Either one can be wrapped in layers of your own (timing, metrics, a
/// custom header) with [`wrap_transport`](Self::wrap_transport), without rebuilding it.
///
/// ```
/// use std::time::Duration;
/// use clevertim::{RetryPolicy, Session};
/// # fn main() -> clevertim::Result<()> {
/// let session = Session::builder("API_KEY")
///     .endpoint("http://127.0.0.1:8080/api")     // a local sandbox
///     .cache_ttl(Duration::from_secs(300))      // cached objects expire after 5 minutes
///     .retry(RetryPolicy::default().max_retries(4))
///     .request_timeout(Duration::from_secs(10))
///     .build()?;                                // no request yet
/// assert_eq!(session.endpoint(), "http://127.0.0.1:8080/api");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct SessionBuilder<F: Flavor = Async> {
    core: clevertim_core::SessionBuilder,
    backend: Option<Backend>,
    options: TransportOptions,
    /// The transport given with `transport`, if any (else a backend's is made).
    given: Option<Arc<dyn Transport>>,
    layers: Layers,
    flavor: PhantomData<F>,
}

/// What kind of session a [`SessionBuilder`] builds: [`Async`], or `blocking::Blocking`
/// (feature `blocking`). Sealed: the two are all there is.
///
/// ```
/// use clevertim::{Async, Flavor, SessionBuilder};
/// fn local<F: Flavor>(builder: SessionBuilder<F>) -> clevertim::Result<F::Session> {
///     builder.endpoint("http://127.0.0.1:8080/api").build()
/// }
/// let session: clevertim::Session = local::<Async>(clevertim::Session::builder("KEY"))?;
/// # let _ = session;
/// # Ok::<(), clevertim::Error>(())
/// ```
pub trait Flavor: private::Sealed + std::fmt::Debug {
    /// The session it builds.
    type Session;
    #[doc(hidden)]
    fn finish(core: clevertim_core::Session, backend: Option<Backend>) -> Result<Self::Session>;
}

/// Builds the async [`Session`]: the default [`Flavor`] of a [`SessionBuilder`].
///
/// ```
/// let builder: clevertim::SessionBuilder<clevertim::Async> = clevertim::Session::builder("KEY");
/// # let _ = builder;
/// ```
#[derive(Debug)]
pub enum Async {}

impl Flavor for Async {
    type Session = Session;
    fn finish(core: clevertim_core::Session, _backend: Option<Backend>) -> Result<Session> {
        Ok(Session::from(core))
    }
}

pub(crate) mod private {
    pub trait Sealed {}
    impl Sealed for super::Async {}
}

impl<F: Flavor> SessionBuilder<F> {
    pub(crate) fn new(api_key: clevertim_core::ApiKey) -> Self {
        SessionBuilder {
            core: clevertim_core::Session::builder(api_key),
            backend: None,
            options: TransportOptions::default(),
            given: None,
            layers: Layers::default(),
            flavor: PhantomData,
        }
    }

    /// The API's base URL (default `https://www.clevertim.com/api`), e.g. a sandbox's.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").endpoint("http://127.0.0.1:8080/api");
    /// # let _ = builder;
    /// ```
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.core = self.core.endpoint(endpoint);
        self
    }

    /// A transport of your own, instead of a compiled-in backend.
    ///
    /// ```
    /// use clevertim::{bytes::Bytes, http, transport_fn, Session};
    /// let offline = transport_fn(|_request: http::Request<Bytes>| async {
    ///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
    /// });
    /// let session = Session::builder("KEY").transport(offline).build()?;
    /// # let _ = session;
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.given = Some(Arc::new(transport));
        self
    }

    /// A transport of your own, already shared.
    ///
    /// ```
    /// # fn demo(shared: std::sync::Arc<dyn clevertim::Transport>) -> clevertim::Result<()> {
    /// let first = clevertim::Session::builder("KEY_1").transport_arc(shared.clone()).build()?;
    /// let second = clevertim::Session::builder("KEY_2").transport_arc(shared).build()?;
    /// # let _ = (first, second); Ok(()) }
    /// ```
    pub fn transport_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.given = Some(transport);
        self
    }

    /// Hands the session's transport to `wrap` and uses what it returns: a layer of your own
    /// (timing, metrics, a custom header, …) around the compiled-in transport, built as the
    /// other settings say, or around the one given with [`transport`](Self::transport).
    ///
    /// Layers apply in the order given: the last one added is the outermost, the first to see
    /// a request.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{http, BoxFuture, Session, Transport, TransportError};
    ///
    /// /// Counts the requests the session sends.
    /// #[derive(Debug)]
    /// struct Counted {
    ///     inner: Arc<dyn Transport>,
    ///     sent: Arc<AtomicU64>,
    /// }
    ///
    /// impl Transport for Counted {
    ///     fn send(
    ///         &self,
    ///         request: http::Request<Bytes>,
    ///     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
    ///         self.sent.fetch_add(1, Ordering::Relaxed);
    ///         self.inner.send(request)
    ///     }
    /// }
    ///
    /// let sent = Arc::new(AtomicU64::new(0));
    /// let counter = sent.clone();
    /// let session = Session::builder("API_KEY")
    ///     .wrap_transport(move |inner| Counted { inner, sent: counter }) // around hyper's
    ///     .build()?;
    /// assert_eq!(sent.load(Ordering::Relaxed), 0); // nothing sent yet
    /// # let _ = session;
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn wrap_transport<T, W>(mut self, wrap: W) -> Self
    where
        T: Transport + 'static,
        W: FnOnce(Arc<dyn Transport>) -> T + Send + 'static,
    {
        self.layers.push(wrap);
        self
    }

    /// The cache of loaded objects (default: 10,000 objects in memory).
    ///
    /// ```
    /// let shared = clevertim::MemoryCache::default();
    /// let builder = clevertim::Session::builder("KEY").cache(shared.clone());
    /// # let _ = builder;
    /// ```
    pub fn cache(mut self, cache: impl Cache + 'static) -> Self {
        self.core = self.core.cache(cache);
        self
    }

    /// Where the session keeps what it loaded, with the coherence protocol (default: a
    /// [`LocalStore`](crate::LocalStore) over a [`MemoryCache`](crate::MemoryCache)). A
    /// store shared by several processes (`clevertim_redis::RedisStore`) keeps every replica
    /// of a service coherent; see `docs/replicas.md`.
    ///
    /// ```
    /// use clevertim::{LocalStore, MemoryCache};
    /// let builder = clevertim::Session::builder("KEY").store(LocalStore::new(MemoryCache::new(1_000)));
    /// # let _ = builder;
    /// ```
    pub fn store(mut self, store: impl crate::Store + 'static) -> Self {
        self.core = self.core.store(store);
        self
    }

    /// At most `per_second` requests a second, `burst` at once (retries included); the
    /// session waits rather than send more. With a shared store (`clevertim_redis`) the budget
    /// is the account's, shared by every replica; a `429`'s `Retry-After` makes every holder
    /// wait. See `docs/replicas.md`.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").rate_limit(10, 5);
    /// # let _ = builder;
    /// ```
    pub fn rate_limit(mut self, per_second: u32, burst: u32) -> Self {
        self.core = self.core.rate_limit(per_second, burst);
        self
    }

    /// A default-sized in-memory cache whose entries expire after `ttl`.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::Session::builder("KEY").cache_ttl(Duration::from_secs(60));
    /// # let _ = builder;
    /// ```
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.core = self.core.cache_ttl(ttl);
        self
    }

    /// No cache: every load is a request.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").no_cache();
    /// # let _ = builder;
    /// ```
    pub fn no_cache(mut self) -> Self {
        self.core = self.core.no_cache();
        self
    }

    /// How many requests `load_many` keeps in flight at once (default 16).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").max_in_flight(4);
    /// # let _ = builder;
    /// ```
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.core = self.core.max_in_flight(n);
        self
    }

    /// When failed requests are tried again (default: two retries with jittered backoff,
    /// idempotent verbs only but for connect failures).
    ///
    /// ```
    /// use clevertim::RetryPolicy;
    /// let builder = clevertim::Session::builder("KEY").retry(RetryPolicy::none());
    /// # let _ = builder;
    /// ```
    pub fn retry(mut self, policy: clevertim_core::RetryPolicy) -> Self {
        self.core = self.core.retry(policy);
        self
    }

    /// How the session waits between retries (default: a runtime-free timer thread).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").sleeper(clevertim::TimerSleeper);
    /// # let _ = builder;
    /// ```
    pub fn sleeper(mut self, sleeper: impl clevertim_core::Sleeper + 'static) -> Self {
        self.core = self.core.sleeper(sleeper);
        self
    }

    /// The largest answer the session accepts, in bytes (default 256 MiB): the transport stops
    /// reading past it and the call fails with a `TooLarge` transport error.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").body_limit(16 * 1024 * 1024);
    /// # let _ = builder;
    /// ```
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.core = self.core.body_limit(bytes);
        self
    }

    /// Allows a plain `http://` endpoint on a host that is not loopback (refused by default:
    /// the API key would travel unencrypted).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY")
    ///     .endpoint("http://crm.internal.example/api")
    ///     .allow_insecure_http();
    /// # let _ = builder;
    /// ```
    pub fn allow_insecure_http(mut self) -> Self {
        self.core = self.core.allow_insecure_http();
        self
    }

    /// From how many objects not cached yet `load_many` and `load_for` fetch the resource's
    /// whole list once instead of one `GET` per object (default 16).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").list_threshold(100);
    /// # let _ = builder;
    /// ```
    pub fn list_threshold(mut self, n: usize) -> Self {
        self.core = self.core.list_threshold(n);
        self
    }

    /// After `n` single loads of one resource that missed the cache, the next miss fetches
    /// the whole list (off by default).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").list_after_misses(10);
    /// # let _ = builder;
    /// ```
    pub fn list_after_misses(mut self, n: usize) -> Self {
        self.core = self.core.list_after_misses(n);
        self
    }

    /// Which compiled-in transport to use (default: hyper when compiled in, else isahc).
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY").backend(clevertim::Backend::Hyper);
    /// # let _ = builder;
    /// ```
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = Some(backend);
        self
    }

    /// The time a compiled-in transport allows to open a connection (default 10 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::Session::builder("KEY").connect_timeout(Duration::from_secs(3));
    /// # let _ = builder;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = Some(timeout);
        self
    }

    /// The time a compiled-in transport allows for a whole request (default 30 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::Session::builder("KEY").request_timeout(Duration::from_secs(60));
    /// # let _ = builder;
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = Some(timeout);
        self
    }

    /// Ignores every proxy, the environment's included (`HTTP_PROXY`, `HTTPS_PROXY`,
    /// `ALL_PROXY`, which both compiled-in transports honour by default): every connection
    /// goes straight to the server.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY")
    ///     .endpoint("http://127.0.0.1:8080/api")
    ///     .no_proxy();
    /// # let _ = builder;
    /// ```
    pub fn no_proxy(mut self) -> Self {
        self.options.proxy = clevertim_core::ProxyChoice::Off;
        self
    }

    /// Sends every request of the compiled-in transport through the forward proxy at `url`
    /// (`http://host:port`, with `user:password@` if it asks for credentials), whatever the
    /// environment says. The credentials go to the proxy only, and are never shown in
    /// `Debug`, traces or errors. See "Behind a proxy" in `docs/transports.md`.
    ///
    /// ```
    /// let builder = clevertim::Session::builder("KEY")
    ///     .proxy("http://alice:secret@proxy.corp:3128");
    /// assert!(!format!("{builder:?}").contains("secret"));
    /// ```
    ///
    /// # Errors
    ///
    /// [`build`](Self::build) fails with [`Error::Transport`] if `url` is not an `http://`
    /// URL; a proxy that refuses a request fails it with a transport error of kind
    /// [`TransportErrorKind::Proxy`](clevertim_core::TransportErrorKind::Proxy), not retried.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.options.proxy = clevertim_core::ProxyChoice::Url(url.into());
        self
    }

    /// The session. No request is sent yet.
    ///
    /// ```
    /// let session = clevertim::Session::builder("API_KEY").build()?;
    /// assert_eq!(session.endpoint(), "https://www.clevertim.com/api");
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the endpoint or the API key cannot be used (a plain `http://`
    /// endpoint off loopback without [`allow_insecure_http`](Self::allow_insecure_http)), when
    /// no transport is compiled in and none was given, or when a blocking session cannot
    /// start its runtime; [`Error::Transport`] when the compiled-in transport cannot start.
    pub fn build(self) -> Result<F::Session> {
        if let Some(given) = self.given {
            let transport = self.layers.apply(given);
            return F::finish(self.core.transport_arc(transport).build()?, None);
        }
        match self.backend.or_else(Backend::default_for_build) {
            Some(backend) => {
                let transport = self.layers.apply(backend::make(backend, &self.options)?);
                F::finish(self.core.transport_arc(transport).build()?, Some(backend))
            }
            None => Err(Error::Config(
                "no transport: this build of `clevertim` has no transport feature; enable \
                 `hyper` or `isahc`, or pass one with `.transport(..)`"
                    .into(),
            )),
        }
    }
}
