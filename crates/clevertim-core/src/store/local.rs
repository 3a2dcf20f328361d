//! [`LocalStore`]: the store of one process, over any [`Cache`], with the coherence protocol
//! kept in memory (`session/coherence.rs`).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::{Entry, Namespace, Store, Ticket, Written};
use crate::cache::{Cache, CacheKey, MemoryCache};
use crate::session::coherence::Coherence;
use crate::transport::BoxFuture;

/// The in-process store: a [`Cache`] and the tickets and fences of today's coherence, all
/// in memory. Over a [`MemoryCache`] it keeps decoded objects too, so that a cached load
/// costs a clone instead of decoding the JSON again; over another cache, the JSON alone.
///
/// A clone shares the cache and the fences (sessions of one process sharing one store must
/// share both, which a clone does).
///
/// ```
/// use clevertim::{LocalStore, MemoryCache, Session};
/// let store = LocalStore::new(MemoryCache::new(50_000));
/// let builder = Session::builder("KEY").store(store);
/// # let _ = builder;
/// ```
#[derive(Clone)]
pub struct LocalStore {
    local: Local,
    coherence: Arc<Coherence>,
}

/// The cache behind a [`LocalStore`]: the built-in one keeps decoded objects.
#[derive(Clone)]
pub(crate) enum Local {
    Memory(MemoryCache),
    Other(Arc<dyn Cache>),
}

impl Local {
    pub(crate) fn get(&self, key: &CacheKey) -> Option<Entry> {
        match self {
            Local::Memory(memory) => memory.get_entry(key),
            Local::Other(cache) => cache.get(key).map(Entry::new),
        }
    }

    pub(crate) fn insert(&self, key: CacheKey, entry: Entry) {
        match self {
            Local::Memory(memory) => memory.insert_entry(key, entry),
            Local::Other(cache) => cache.insert(key, entry.into_json()),
        }
    }

    pub(crate) fn cache(&self) -> &dyn Cache {
        match self {
            Local::Memory(memory) => memory,
            Local::Other(cache) => &**cache,
        }
    }
}

impl LocalStore {
    /// The store over `cache` (the [`MemoryCache`] itself when it is one, shared with its
    /// clones).
    ///
    /// ```
    /// use clevertim::{LocalStore, NoCache};
    /// let nothing_kept = LocalStore::new(NoCache);
    /// # let _ = nothing_kept;
    /// ```
    pub fn new<C: Cache + 'static>(cache: C) -> Self {
        let local = match (&cache as &dyn Any).downcast_ref::<MemoryCache>() {
            Some(memory) => Local::Memory(memory.clone()),
            None => Local::Other(Arc::new(cache)),
        };
        LocalStore {
            local,
            coherence: Arc::default(),
        }
    }

    /// The cache behind the store.
    ///
    /// ```
    /// use clevertim::{Cache, CacheKey, LocalStore, MemoryCache};
    /// let store = LocalStore::new(MemoryCache::default());
    /// assert_eq!(store.cache().get(&CacheKey::list("user")), None);
    /// ```
    pub fn cache(&self) -> &dyn Cache {
        self.local.cache()
    }
}

impl Default for LocalStore {
    /// Over a default [`MemoryCache`].
    fn default() -> Self {
        LocalStore::new(MemoryCache::default())
    }
}

impl fmt::Debug for LocalStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LocalStore").field(&self.cache()).finish()
    }
}

/// A future that is ready at once (the local store never waits).
fn ready<'a, T: Send + 'a>(value: T) -> BoxFuture<'a, T> {
    Box::pin(std::future::ready(value))
}

impl Store for LocalStore {
    fn scoped(&self, _namespace: &Namespace) -> Arc<dyn Store> {
        // One process, one session's store: nothing else shares it unless the user shares it.
        Arc::new(self.clone())
    }

    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<Entry>> {
        ready(self.local.get(key))
    }

    fn read(&self) -> BoxFuture<'_, Ticket> {
        ready(self.coherence.read())
    }

    fn admit<'a>(
        &'a self,
        ticket: &'a Ticket,
        entries: Vec<(CacheKey, Entry)>,
    ) -> BoxFuture<'a, ()> {
        self.coherence.admit(ticket, &self.local, entries);
        ready(())
    }

    fn begin_write<'a>(&'a self, keys: &'a [CacheKey]) -> BoxFuture<'a, Ticket> {
        ready(self.coherence.begin_write(&self.local, keys))
    }

    fn end_write<'a>(&'a self, ticket: &'a Ticket, written: Written<'a>) -> BoxFuture<'a, ()> {
        self.coherence.end_write(ticket, &self.local, written);
        ready(())
    }

    fn forget<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, ()> {
        self.local.cache().remove(key);
        ready(())
    }

    fn local_cache(&self) -> Option<&dyn Cache> {
        Some(self.local.cache())
    }
}
