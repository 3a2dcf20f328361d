//! The `Store` port: where cached objects live, and the coherence protocol that keeps an
//! answer older than a write of the same object out of them.
//!
//! A [`Session`](crate::Session) speaks to its store in the protocol's own words, so that a
//! store living outside the process (Redis, shared by many replicas) keeps the same
//! guarantee as the in-memory one: *what the cache serves matches the server once the last
//! write has returned*.
//!
//! - [`Store::read`] issues a [`Ticket`] before a `GET` is sent; [`Store::admit`] stores its
//!   answer only if no write of the same entry started after that ticket;
//! - [`Store::begin_write`] issues a ticket and fences (and evicts) what a write may change
//!   before it is sent; [`Store::end_write`] records, before the write returns to the caller,
//!   that it ended: its own answer enters only if no other write of the object started since,
//!   and everything it may have changed is fenced again;
//! - [`Store::forget`] evicts one entry (always safe).
//!
//! The in-memory implementation is [`LocalStore`] (over any
//! [`Cache`]); `clevertim-redis` provides a shared one. A store never fails the
//! caller: a store that cannot reach its backend serves nothing and admits nothing (and says
//! so with a `tracing` warning), and the session goes on with the server alone.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use crate::cache::{Cache, CacheKey};
use crate::transport::BoxFuture;

/// A cached entry: the object's JSON as the server sent it, and, in a store that keeps them,
/// the object already decoded (a clone of it costs a fraction of decoding the JSON again).
///
/// ```
/// use bytes::Bytes;
/// use clevertim::Entry;
/// let plain = Entry::new(Bytes::from_static(br#"{"id":4}"#));
/// assert_eq!(plain.decoded::<u32>(), None);
/// let decoded = Entry::with_decoded(Bytes::from_static(b"4"), 4u32);
/// assert_eq!(decoded.decoded::<u32>(), Some(&4));
/// assert_eq!(decoded.json().as_ref(), b"4");
/// ```
#[derive(Clone)]
pub struct Entry {
    json: Bytes,
    decoded: Option<Arc<dyn Any + Send + Sync>>,
}

impl Entry {
    /// An entry of JSON alone.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::new(Bytes::from_static(b"{}"));
    /// assert_eq!(entry.into_json(), Bytes::from_static(b"{}"));
    /// ```
    pub fn new(json: Bytes) -> Self {
        Entry {
            json,
            decoded: None,
        }
    }

    /// An entry of JSON and the object decoded from it (which must be what decoding `json`
    /// gives: a store may serve either).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::with_decoded(Bytes::from_static(b"[1]"), vec![1u8]);
    /// assert_eq!(entry.decoded::<Vec<u8>>(), Some(&vec![1u8]));
    /// ```
    pub fn with_decoded<T: Any + Send + Sync>(json: Bytes, decoded: T) -> Self {
        Entry {
            json,
            decoded: Some(Arc::new(decoded)),
        }
    }

    /// The JSON.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::new(Bytes::from_static(b"{}"));
    /// assert_eq!(entry.json().len(), 2);
    /// ```
    pub fn json(&self) -> &Bytes {
        &self.json
    }

    /// The JSON, owned.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::new(Bytes::from_static(b"{}"));
    /// let json: Bytes = entry.into_json();
    /// # let _ = json;
    /// ```
    pub fn into_json(self) -> Bytes {
        self.json
    }

    /// The decoded object, if the store kept it and it is a `T`.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::with_decoded(Bytes::from_static(b"4"), 4u32);
    /// assert_eq!(entry.decoded::<u64>(), None, "another type");
    /// ```
    pub fn decoded<T: Any>(&self) -> Option<&T> {
        self.decoded.as_deref()?.downcast_ref()
    }

    /// The same entry without its decoded object (what a store outside the process keeps).
    ///
    /// ```
    /// # use bytes::Bytes;
    /// let entry = clevertim::Entry::with_decoded(Bytes::from_static(b"4"), 4u32);
    /// assert_eq!(entry.json_only().decoded::<u32>(), None);
    /// ```
    pub fn json_only(self) -> Self {
        Entry::new(self.json)
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("json_len", &self.json.len())
            .field("decoded", &self.decoded.is_some())
            .finish()
    }
}

type Release = Box<dyn FnOnce() + Send + Sync>;

/// The number a store gave a request as it started (by a clock of the store's, monotonic
/// across every process that shares it), and when (by the store's own clock, in its units).
/// Dropping it tells the store that the request ended, however it ended.
///
/// ```
/// use clevertim::Ticket;
/// let ticket = Ticket::new(7, 1_700_000_000_000);
/// assert_eq!((ticket.number(), ticket.issued()), (7, 1_700_000_000_000));
/// ```
pub struct Ticket {
    number: u64,
    issued: u64,
    release: Option<Release>,
}

impl Ticket {
    /// A ticket numbered `number`, issued at `issued` (0 when the store does not care).
    ///
    /// ```
    /// let ticket = clevertim::Ticket::new(1, 0);
    /// assert_eq!(ticket.number(), 1);
    /// ```
    pub fn new(number: u64, issued: u64) -> Self {
        Ticket {
            number,
            issued,
            release: None,
        }
    }

    /// The same ticket, running `release` when it is dropped (a store that tracks the
    /// requests in flight).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// let done = Arc::new(AtomicBool::new(false));
    /// let flag = done.clone();
    /// let ticket = clevertim::Ticket::new(1, 0).on_release(move || flag.store(true, Ordering::SeqCst));
    /// drop(ticket);
    /// assert!(done.load(Ordering::SeqCst));
    /// ```
    pub fn on_release(mut self, release: impl FnOnce() + Send + Sync + 'static) -> Self {
        self.release = Some(Box::new(release));
        self
    }

    /// The ticket's number.
    ///
    /// ```
    /// assert_eq!(clevertim::Ticket::new(3, 0).number(), 3);
    /// ```
    pub fn number(&self) -> u64 {
        self.number
    }

    /// When it was issued, by the store's clock.
    ///
    /// ```
    /// assert_eq!(clevertim::Ticket::new(3, 9).issued(), 9);
    /// ```
    pub fn issued(&self) -> u64 {
        self.issued
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticket")
            .field("number", &self.number)
            .field("issued", &self.issued)
            .finish()
    }
}

/// What a returning write changed, for [`Store::end_write`].
///
/// ```
/// use bytes::Bytes;
/// use clevertim::{CacheKey, Id, Written};
/// let saved = Written {
///     object: Some((CacheKey::object("contact", Id::from(7)), Some(Bytes::from_static(br#"{"id":7}"#)))),
///     related: &[CacheKey::object("company", Id::from(2))],
///     resources: &[],
/// };
/// # let _ = saved;
/// ```
#[derive(Debug, Default)]
pub struct Written<'k> {
    /// The written object's entry and, when the server answered with it, its new JSON (none
    /// for a delete or a failed write).
    pub object: Option<(CacheKey, Option<Bytes>)>,
    /// Other entries the write may have changed (parents' derived lists, a resource's list).
    pub related: &'k [CacheKey],
    /// Resources any of whose objects the write may have changed.
    pub resources: &'k [&'static str],
}

/// Which account a session's store serves: entries of two accounts (or of two endpoints)
/// must never meet. The account is named by a fingerprint of the endpoint and the API key
/// (a SHA-256 digest, truncated) that cannot reveal the key.
///
/// ```
/// use clevertim::Namespace;
/// let a = Namespace::new("https://www.clevertim.com/api", "KEY-A");
/// let b = Namespace::new("https://www.clevertim.com/api", "KEY-B");
/// assert_ne!(a.as_str(), b.as_str());
/// assert!(!a.as_str().contains("KEY-A"));
/// assert_eq!(a.as_str().len(), 32);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Namespace {
    namespace: String,
}

impl Namespace {
    /// The namespace of `endpoint` and `api_key`.
    ///
    /// ```
    /// let scope = clevertim::Namespace::new("http://127.0.0.1:8080/api", "KEY");
    /// assert!(scope.as_str().chars().all(|c| c.is_ascii_hexdigit()));
    /// ```
    pub fn new(endpoint: &str, api_key: &str) -> Self {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(b"clevertim store namespace v1\0");
        hash.update(endpoint.as_bytes());
        hash.update(b"\0");
        hash.update(api_key.as_bytes());
        let digest = hash.finalize();
        let namespace = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        Namespace { namespace }
    }

    /// 32 hex digits, the same for every replica of one account.
    ///
    /// ```
    /// let scope = clevertim::Namespace::new("http://127.0.0.1:8080/api", "KEY");
    /// assert_eq!(scope.as_str(), clevertim::Namespace::new("http://127.0.0.1:8080/api", "KEY").as_str());
    /// ```
    pub fn as_str(&self) -> &str {
        &self.namespace
    }
}

impl fmt::Debug for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Namespace").field(&self.namespace).finish()
    }
}

/// Where a session keeps the objects it loaded, and the coherence protocol that keeps them
/// true (see the [module documentation](self)). Every method may be async (a store across
/// the network), and none fails: a store that cannot reach its backend serves nothing,
/// admits nothing and logs a warning.
///
/// Rules an implementation must keep:
///
/// - tickets are monotonic across everyone sharing the store;
/// - [`admit`](Store::admit) stores an entry only if no fence on it (from `begin_write` or
///   `end_write`, of the entry or of its whole resource) is newer than the ticket, checked and
///   stored atomically;
/// - [`end_write`](Store::end_write) has taken effect when its future completes;
/// - after losing its backend, a store admits nothing until it has made sure that no entry
///   written before the loss can be served (the Redis store starts a new epoch).
///
/// ```
/// use clevertim::{LocalStore, MemoryCache, Session};
/// // The default: a `LocalStore` over a `MemoryCache`, which `.cache(..)` also makes.
/// let builder = Session::builder("KEY").store(LocalStore::new(MemoryCache::default()));
/// # let _ = builder;
/// ```
pub trait Store: Send + Sync + fmt::Debug {
    /// The store for one account: a shared store puts its keys under the scope's namespace;
    /// an in-process one may return itself.
    fn scoped(&self, namespace: &Namespace) -> Arc<dyn Store>;

    /// The cached entry of `key`, if any.
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<Entry>>;

    /// A ticket for a read about to be sent.
    fn read(&self) -> BoxFuture<'_, Ticket>;

    /// Stores `entries` as the answer of the read of `ticket`, each unless a write of its
    /// entry (or resource) started after the ticket.
    fn admit<'a>(
        &'a self,
        ticket: &'a Ticket,
        entries: Vec<(CacheKey, Entry)>,
    ) -> BoxFuture<'a, ()>;

    /// A ticket for a write about to be sent; fences and evicts `keys` first.
    fn begin_write<'a>(&'a self, keys: &'a [CacheKey]) -> BoxFuture<'a, Ticket>;

    /// Records that the write of `ticket` returned, successfully or not: stores its answer
    /// if no other write of the object started since, then fences and evicts what it may
    /// have changed.
    fn end_write<'a>(&'a self, ticket: &'a Ticket, written: Written<'a>) -> BoxFuture<'a, ()>;

    /// Forgets `key` (the server said it is gone, or its entry no longer decodes).
    fn forget<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, ()>;

    /// A rate budget of `per_second` requests (`burst` at once) shared by everyone using this
    /// store (every replica, for a shared store), for
    /// [`SessionBuilder::rate_limit`](crate::SessionBuilder::rate_limit); `None` (the default)
    /// leaves the session a [`LocalBudget`](crate::LocalBudget) of its own.
    fn rate_budget(&self, per_second: u32, burst: u32) -> Option<Arc<dyn crate::RateBudget>> {
        let _ = (per_second, burst);
        None
    }

    /// The in-process [`Cache`] behind the store, if there is one (what
    /// [`Session::cache`](crate::Session::cache) returns).
    fn local_cache(&self) -> Option<&dyn Cache> {
        None
    }
}

pub(crate) mod local;

pub use local::LocalStore;
