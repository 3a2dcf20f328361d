//! The `Cache` port: objects already loaded, so that no GET is repeated.
//!
//! The cache holds wire objects (the JSON bytes of one object, or of a whole list) keyed by
//! resource and key. A [`Session`](crate::Session) reads through it, a save refreshes it and a
//! delete evicts.
//!
//! The port is a plain key-value store of one process: keeping it coherent under concurrency
//! (no answer older than a write of the same object ever enters it) is the job of the
//! [`LocalStore`](crate::LocalStore) the session wraps it in, so your own cache needs no
//! locking beyond its own. A cache shared by several processes needs the protocol itself:
//! that is the [`Store`](crate::Store) port (see `clevertim-redis`), not this one.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::key::Id;
use crate::store::Entry;

/// Where a cached entry belongs: one object of a resource, or the resource's whole list.
///
/// ```
/// use clevertim::{CacheKey, Id};
/// let jane = CacheKey::object("contact", Id::from(4));
/// assert_eq!((jane.resource, jane.id), ("contact", Some(Id::from(4))));
/// assert_eq!(CacheKey::list("customfield").id, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// The resource's path, e.g. `contact`.
    pub resource: &'static str,
    /// The object's id; `None` for the whole list of a list-only resource (users, groups,
    /// custom fields).
    pub id: Option<Id>,
}

impl CacheKey {
    /// The key of one object.
    ///
    /// ```
    /// use clevertim::{CacheKey, Id};
    /// // `12` and `"12"` are one id, so one entry.
    /// assert_eq!(CacheKey::object("contact", Id::from(12)), CacheKey::object("contact", Id::from("12")));
    /// ```
    pub fn object(resource: &'static str, id: Id) -> Self {
        CacheKey {
            resource,
            id: Some(id),
        }
    }

    /// The key of a resource's whole list (kept for the list-only resources: users, groups,
    /// custom fields).
    ///
    /// ```
    /// use clevertim::CacheKey;
    /// assert_eq!(CacheKey::list("user"), CacheKey { resource: "user", id: None });
    /// ```
    pub fn list(resource: &'static str) -> Self {
        CacheKey { resource, id: None }
    }
}

/// Stores wire objects by [`CacheKey`], in one process. Implementations must be cheap to call
/// concurrently, and must not call back into the session (the session's
/// [`LocalStore`](crate::LocalStore) calls `insert` and `remove` under a short lock of its
/// own, to keep the cache coherent).
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Mutex;
/// use clevertim::bytes::Bytes;
/// use clevertim::{Cache, CacheKey};
///
/// /// A cache of your own: unbounded, for a short-lived script.
/// #[derive(Debug, Default)]
/// struct MapCache(Mutex<HashMap<CacheKey, Bytes>>);
///
/// impl Cache for MapCache {
///     fn get(&self, key: &CacheKey) -> Option<Bytes> {
///         self.0.lock().ok()?.get(key).cloned()
///     }
///     fn insert(&self, key: CacheKey, json: Bytes) {
///         if let Ok(mut map) = self.0.lock() { map.insert(key, json); }
///     }
///     fn remove(&self, key: &CacheKey) {
///         if let Ok(mut map) = self.0.lock() { map.remove(key); }
///     }
///     fn clear(&self) {
///         if let Ok(mut map) = self.0.lock() { map.clear(); }
///     }
///     // `remove_resource` is optional: by default it clears everything.
/// }
///
/// let session = clevertim::Session::builder("KEY").cache(MapCache::default());
/// # let _ = session;
/// ```
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
pub trait Cache: Send + Sync + fmt::Debug {
    /// The cached JSON of `key`, if any.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{Cache, CacheKey, Id, MemoryCache};
    /// let cache = MemoryCache::default();
    /// let jane = CacheKey::object("contact", Id::from(4));
    /// assert_eq!(cache.get(&jane), None);
    /// cache.insert(jane.clone(), Bytes::from_static(br#"{"id":4}"#));
    /// assert_eq!(cache.get(&jane).as_deref(), Some(&br#"{"id":4}"#[..]));
    /// ```
    fn get(&self, key: &CacheKey) -> Option<Bytes>;
    /// Stores the JSON of `key`, replacing what was there.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{Cache, CacheKey, Id, MemoryCache};
    /// let cache = MemoryCache::default();
    /// let jane = CacheKey::object("contact", Id::from(4));
    /// cache.insert(jane.clone(), Bytes::from_static(br#"{"id":4,"fn":"Jane"}"#));
    /// cache.insert(jane.clone(), Bytes::from_static(br#"{"id":4,"fn":"Janet"}"#));
    /// assert_eq!(cache.get(&jane).as_deref(), Some(&br#"{"id":4,"fn":"Janet"}"#[..]));
    /// ```
    fn insert(&self, key: CacheKey, json: Bytes);
    /// Forgets `key`.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{Cache, CacheKey, Id, MemoryCache};
    /// let cache = MemoryCache::default();
    /// let jane = CacheKey::object("contact", Id::from(4));
    /// cache.insert(jane.clone(), Bytes::from_static(b"{}"));
    /// cache.remove(&jane);
    /// assert_eq!(cache.get(&jane), None);
    /// ```
    fn remove(&self, key: &CacheKey);
    /// Forgets everything.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{Cache, CacheKey, Id, MemoryCache};
    /// let cache = MemoryCache::default();
    /// cache.insert(CacheKey::object("contact", Id::from(4)), Bytes::from_static(b"{}"));
    /// cache.insert(CacheKey::list("user"), Bytes::from_static(b"[]"));
    /// cache.clear();
    /// assert_eq!(cache.get(&CacheKey::list("user")), None);
    /// ```
    fn clear(&self);
    /// Forgets every entry of `resource` (objects and list). A delete calls it for the
    /// resources whose objects the server may have changed; the default forgets everything,
    /// which is always correct.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::{Cache, CacheKey, Id, MemoryCache};
    /// let cache = MemoryCache::default();
    /// let task = CacheKey::object("task", Id::from(9));
    /// let jane = CacheKey::object("contact", Id::from(4));
    /// cache.insert(task.clone(), Bytes::from_static(b"{}"));
    /// cache.insert(jane.clone(), Bytes::from_static(b"{}"));
    /// cache.remove_resource("task");
    /// assert_eq!(cache.get(&task), None);
    /// assert!(cache.get(&jane).is_some(), "MemoryCache forgets only that resource");
    /// ```
    fn remove_resource(&self, resource: &'static str) {
        let _ = resource;
        self.clear();
    }
}

/// The default cache: bounded, in memory, with an optional time-to-live (backed by
/// `quick_cache`).
///
/// ```
/// use std::time::Duration;
/// use clevertim::{MemoryCache, Session};
///
/// // 50,000 objects at most, each kept five minutes: others may edit the account too.
/// let builder = Session::builder("KEY").cache(MemoryCache::with_ttl(50_000, Duration::from_secs(300)));
/// # let _ = builder;
/// ```
#[derive(Clone)]
pub struct MemoryCache {
    inner: Arc<quick_cache::sync::Cache<CacheKey, Stamped>>,
    /// How long an entry is served, if not forever.
    ttl: Option<Duration>,
    /// Per resource, how many times it was forgotten as a whole: an entry stored under an
    /// older generation is stale. (Removing them one by one would scan the whole map: a
    /// delete forgets a dozen resources, and the scans would cost more than the request.)
    generations: Arc<RwLock<HashMap<&'static str, u64, foldhash::fast::RandomState>>>,
}

/// A cached entry (with its decoded object, when the session gave it) and the generation of
/// its resource when it was stored.
#[derive(Clone)]
struct Stamped {
    generation: u64,
    /// When it was stored, for a cache with a time-to-live.
    stored: Option<Instant>,
    entry: Entry,
}

impl MemoryCache {
    /// The capacity of [`MemoryCache::default`], in objects.
    pub const DEFAULT_CAPACITY: u64 = 10_000;

    /// A cache holding at most `capacity` objects; when it is full, those read least go
    /// first.
    ///
    /// ```
    /// use clevertim::{MemoryCache, Session};
    /// let builder = Session::builder("KEY").cache(MemoryCache::new(1_000));
    /// # let _ = builder;
    /// ```
    pub fn new(capacity: u64) -> Self {
        // The table grows as objects come: a huge capacity reserves nothing up front.
        let expected = usize::try_from(capacity.min(Self::DEFAULT_CAPACITY)).unwrap_or(0);
        MemoryCache {
            inner: Arc::new(quick_cache::sync::Cache::with_weighter(
                expected,
                capacity,
                quick_cache::UnitWeighter,
            )),
            ttl: None,
            generations: Arc::default(),
        }
    }

    /// A cache holding at most `capacity` objects, each for at most `ttl` (the time-to-live
    /// bounds how stale an object edited by someone else may be when it is read). An expired
    /// entry is dropped when it is next read; one never read again takes its place until the
    /// capacity evicts it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::{MemoryCache, Session};
    /// let builder = Session::builder("KEY").cache(MemoryCache::with_ttl(1_000, Duration::from_secs(60)));
    /// # let _ = builder;
    /// ```
    pub fn with_ttl(capacity: u64, ttl: Duration) -> Self {
        MemoryCache {
            ttl: Some(ttl),
            ..MemoryCache::new(capacity)
        }
    }

    fn generation(&self, resource: &'static str) -> u64 {
        let generations = self
            .generations
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        generations.get(resource).copied().unwrap_or(0)
    }
}

impl MemoryCache {
    /// The entry of `key`, with its decoded object if it was stored with one.
    pub(crate) fn get_entry(&self, key: &CacheKey) -> Option<Entry> {
        let stamped = self.inner.get(key)?;
        // Read after the entry: a `remove_resource` done before this line always wins.
        let fresh = stamped.generation == self.generation(key.resource)
            && stamped
                .stored
                .zip(self.ttl)
                .is_none_or(|(stored, ttl)| stored.elapsed() < ttl);
        if fresh {
            Some(stamped.entry)
        } else {
            // Only this entry, not a newer one stored since it was read.
            self.inner.remove_if(key, |now| {
                now.generation == stamped.generation && now.stored == stamped.stored
            });
            None
        }
    }

    /// Stores `entry` (decoded object included) as `key`'s.
    pub(crate) fn insert_entry(&self, key: CacheKey, entry: Entry) {
        let generation = self.generation(key.resource);
        let stored = self.ttl.map(|_| Instant::now());
        self.inner.insert(
            key,
            Stamped {
                generation,
                stored,
                entry,
            },
        );
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        MemoryCache::new(Self::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryCache")
            .field("entries", &self.inner.len())
            .finish()
    }
}

impl Cache for MemoryCache {
    fn get(&self, key: &CacheKey) -> Option<Bytes> {
        self.get_entry(key).map(Entry::into_json)
    }
    fn insert(&self, key: CacheKey, json: Bytes) {
        self.insert_entry(key, Entry::new(json));
    }
    fn remove(&self, key: &CacheKey) {
        self.inner.remove(key);
    }
    fn clear(&self) {
        self.inner.clear();
    }
    fn remove_resource(&self, resource: &'static str) {
        // Entries stored before are no longer returned from this call on; each is dropped
        // when next read, or evicted as any entry.
        let mut generations = self
            .generations
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *generations.entry(resource).or_default() += 1;
    }
}

/// No cache at all: every load is a request.
///
/// ```
/// use clevertim::{NoCache, Session};
/// let builder = Session::builder("KEY").cache(NoCache); // the same as `.no_cache()`
/// # let _ = builder;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl Cache for NoCache {
    fn get(&self, _key: &CacheKey) -> Option<Bytes> {
        None
    }
    fn insert(&self, _key: CacheKey, _json: Bytes) {}
    fn remove(&self, _key: &CacheKey) {}
    fn clear(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_cache_round_trips_and_evicts() {
        let cache = MemoryCache::new(100);
        let key = CacheKey::object("contact", Id::Int(4));
        cache.insert(key.clone(), Bytes::from_static(b"{}"));
        assert_eq!(cache.get(&key).as_deref(), Some(&b"{}"[..]));
        assert_eq!(cache.get(&CacheKey::object("case", Id::Int(4))), None);
        cache.remove(&key);
        assert_eq!(cache.get(&key), None);
    }

    #[test]
    fn memory_cache_forgets_one_resource() {
        let cache = MemoryCache::new(100);
        let contact = CacheKey::object("contact", Id::Int(4));
        let case = CacheKey::object("case", Id::Int(4));
        cache.insert(contact.clone(), Bytes::from_static(b"{}"));
        cache.insert(case.clone(), Bytes::from_static(b"{}"));
        cache.remove_resource("contact");
        assert_eq!(cache.get(&contact), None);
        assert!(cache.get(&case).is_some());
        // What is stored afterwards is kept.
        cache.insert(contact.clone(), Bytes::from_static(b"[1]"));
        assert_eq!(cache.get(&contact).as_deref(), Some(&b"[1]"[..]));
    }

    #[test]
    fn memory_cache_serves_an_entry_for_its_time_to_live_only() {
        let cache = MemoryCache::with_ttl(100, Duration::from_millis(40));
        let key = CacheKey::object("contact", Id::Int(4));
        cache.insert(key.clone(), Bytes::from_static(b"{}"));
        assert!(cache.get(&key).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&key), None);
        assert_eq!(
            cache.inner.len(),
            0,
            "the expired entry is dropped when read"
        );
        cache.insert(key.clone(), Bytes::from_static(b"[1]"));
        assert!(
            cache.get(&key).is_some(),
            "a new entry starts a new time-to-live"
        );
    }

    #[test]
    fn memory_cache_holds_at_most_its_capacity() {
        let cache = MemoryCache::new(100);
        for id in 0..1_000 {
            cache.insert(
                CacheKey::object("contact", Id::Int(id)),
                Bytes::from_static(b"{}"),
            );
        }
        assert!(cache.inner.len() <= 100, "{} entries", cache.inner.len());
        let kept = (0..1_000)
            .filter(|&id| {
                cache
                    .get(&CacheKey::object("contact", Id::Int(id)))
                    .is_some()
            })
            .count();
        assert!(kept > 0 && kept <= 100, "{kept} entries found");
    }

    #[test]
    fn no_cache_keeps_nothing() {
        let key = CacheKey::list("user");
        NoCache.insert(key.clone(), Bytes::from_static(b"[]"));
        assert_eq!(NoCache.get(&key), None);
    }
}
