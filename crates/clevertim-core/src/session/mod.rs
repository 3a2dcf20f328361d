//! The [`Session`]: loads, saves and deletes objects through a transport and a cache.
//!
//! `mod.rs` holds the session itself; each of the other files has one job:
//!
//! - `reading.rs` and `writing.rs`: its public methods that read and that write;
//! - `builder.rs`: the [`SessionBuilder`] and its defaults;
//! - `retry.rs`: sending one request, retried with backoff as the [`RetryPolicy`] allows;
//! - `exchange.rs`: one request and its decoded answer, held to what was asked (the wire
//!   format itself is in `crate::wire`);
//! - `checks.rs`: the checks before a write;
//! - `caching.rs`: what each request does to the cache, and `coherence.rs`: the rules that keep
//!   overlapping requests from caching stale answers;
//! - `relations.rs`: loading many objects, and those that parents refer to, in few requests;
//! - `lazy.rs`: [`Lazy`], an object loaded on first access;
//! - `api_key.rs`: the [`ApiKey`], kept out of every output.

mod api_key;
mod builder;
mod caching;
mod checks;
pub(crate) mod coherence;
mod custom_fields;
mod exchange;
mod lazy;
mod reading;
mod relations;
mod retry;
mod writing;

use std::fmt;
use std::sync::Arc;

pub use api_key::ApiKey;
pub use builder::{
    DEFAULT_ENDPOINT, DEFAULT_LIST_THRESHOLD, DEFAULT_MAX_IN_FLIGHT, SessionBuilder,
};
pub use lazy::Lazy;
pub use relations::KeysOf;
pub use retry::{RetryPolicy, Sleeper, TimerSleeper};

use crate::cache::{Cache, NoCache};
use crate::store::Store;
use crate::transport::{BodyLimit, Transport};
use crate::wire::Protocol;

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`, and safe to use
/// from many tasks at once.
///
/// Made by [`Session::builder`]. It loads objects ([`load`](Self::load), [`all`](Self::all),
/// [`load_many`](Self::load_many), [`lazy`](Self::lazy)), keeps them in its cache so that no
/// `GET` is repeated, and writes them back ([`save`](Self::save) sends only what changed,
/// [`delete`](Self::delete)); every value is checked before anything is sent. See the
/// [crate documentation](crate) for a walkthrough.
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{transport_fn, Contact, Session};
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// // A canned server: a real session sends over HTTP (the `clevertim` facade picks hyper or isahc).
/// let transport = transport_fn(|request: http::Request<Bytes>| async move {
///     let body = match (request.method().as_str(), request.uri().path()) {
///         ("GET", "/api/contact/4") => r#"[{"id":4,"fn":"Jane","ln":"Doe"}]"#.to_owned(),
///         ("PUT", "/api/contact/4") => format!("[{}]", String::from_utf8_lossy(request.body())),
///         (method, path) => panic!("unexpected {method} {path}"),
///     };
///     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
/// });
/// let session = Session::builder("MY_API_KEY").transport(transport).build()?;
///
/// let mut jane: Contact = session.load(4).await?;   // GET /contact/4
/// jane.set_title("Buyer");
/// session.save(&mut jane).await?;                   // PUT {"id":4,"title":"Buyer"}
/// assert_eq!(jane.title(), Some("Buyer"));
///
/// let twin = session.clone();                        // the same account, cache and transport
/// assert_eq!(twin.load::<Contact>(4).await?.title(), Some("Buyer")); // no request
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    protocol: Protocol,
    transport: Arc<dyn Transport>,
    store: Arc<dyn Store>,
    budget: Option<Arc<dyn crate::rate::RateBudget>>,
    max_in_flight: usize,
    retry: RetryPolicy,
    sleeper: retry::SharedSleeper,
    body_limit: BodyLimit,
    list_threshold: usize,
    list_after_misses: Option<usize>,
    misses: relations::Misses,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.inner.protocol.endpoint())
            .field("api_key", &"[redacted]")
            .field("transport", &self.inner.transport)
            .field("store", &self.inner.store)
            .field("retry", &self.inner.retry)
            .field("body_limit", &self.inner.body_limit)
            .finish()
    }
}

impl Session {
    /// Starts configuring a session for the account of `api_key`; see [`SessionBuilder`].
    ///
    /// ```
    /// use clevertim::Session;
    /// # let transport = clevertim::transport_fn(|_: http::Request<bytes::Bytes>| async { unreachable!() });
    /// let session = Session::builder("MY_API_KEY").transport(transport).build()?;
    /// assert_eq!(session.endpoint(), "https://www.clevertim.com/api");
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn builder(api_key: impl Into<ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The API's base URL, without a trailing slash.
    ///
    /// ```
    /// use clevertim::Session;
    /// # let transport = clevertim::transport_fn(|_: http::Request<bytes::Bytes>| async { unreachable!() });
    /// let session = Session::builder("KEY")
    ///     .endpoint("http://127.0.0.1:8080/api/")
    ///     .transport(transport)
    ///     .build()?;
    /// assert_eq!(session.endpoint(), "http://127.0.0.1:8080/api");
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn endpoint(&self) -> &str {
        self.inner.protocol.endpoint()
    }

    /// The in-process cache of loaded objects: clear it to make the next loads ask the server
    /// again. A session whose [`Store`] lives outside the process (Redis) has none: this is
    /// then a [`NoCache`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// use clevertim::{CacheKey, Id};
    /// session.load::<Contact>(4).await?;                                      // GET /contact/4
    /// assert!(session.cache().get(&CacheKey::object("contact", Id::from(4))).is_some());
    /// session.cache().clear();
    /// session.load::<Contact>(4).await?;                                      // GET again
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn cache(&self) -> &dyn Cache {
        self.inner.store.local_cache().unwrap_or(&NoCache)
    }
}
