//! [`RedisStore`]: the [`Store`] port on Redis.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BoxFuture, CacheKey, Entry, Namespace, RateBudget, Store, Ticket, Written};
use redis::{FromRedisValue, Script};

use crate::Error;
use crate::link::{Health, Link};
use crate::scripts;

/// The store of every replica of a service: objects, tickets and fences live in Redis, and
/// each step of the coherence protocol is one atomic script there.
///
/// Tickets come from one counter on the server and are stamped with the server's clock; an
/// answer is admitted only if no write of its entry started after its ticket, none is in
/// flight, and the ticket is younger than the [lease](RedisStoreBuilder::lease). Entries
/// expire after their [TTL](RedisStoreBuilder::ttl); the protocol's own keys have none (run
/// Redis with `maxmemory-policy volatile-lru` or `volatile-ttl`, never an `allkeys-*`
/// policy, so that only entries are evicted).
///
/// Unreachable or slow (past the [timeout](RedisStoreBuilder::timeout)), the store serves
/// nothing and admits nothing, with one `tracing` warning; the first call that reaches Redis
/// again starts a new epoch first, so that nothing cached before the loss is ever served.
///
/// ```no_run
/// use clevertim_redis::RedisStore;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = RedisStore::new("redis://127.0.0.1:6379/")?;
/// let session = clevertim::Session::builder("API_KEY").store(store).build()?;
/// # let _ = session;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct RedisStore {
    link: Arc<Link>,
    ttl: Duration,
    lease: Duration,
    /// `clevertim:{NAMESPACE}:` (a hash tag: one cluster slot per account).
    prefix: Arc<str>,
    health: Arc<Health>,
}

/// Settings of a [`RedisStore`], from [`RedisStore::builder`].
///
/// ```
/// use std::time::Duration;
/// let builder = clevertim_redis::RedisStore::builder("redis://127.0.0.1:6379/")
///     .ttl(Duration::from_secs(600))
///     .lease(Duration::from_secs(30))
///     .timeout(Duration::from_millis(100));
/// # let _ = builder;
/// ```
#[derive(Debug, Clone)]
pub struct RedisStoreBuilder {
    url: String,
    ttl: Duration,
    lease: Duration,
    timeout: Duration,
    retry_every: Duration,
}

impl RedisStoreBuilder {
    /// How long an entry is served at most (default 1 hour): it bounds how stale an object
    /// edited outside every replica (in the web app) may be.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let b = clevertim_redis::RedisStore::builder("redis://127.0.0.1/").ttl(Duration::from_secs(60));
    /// # let _ = b;
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How old a ticket may be when its answer comes back (default 60 s): a request that
    /// hung longer cannot write back. Keep it above the longest request with its retries.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let b = clevertim_redis::RedisStore::builder("redis://127.0.0.1/").lease(Duration::from_secs(30));
    /// # let _ = b;
    /// ```
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long one call to Redis may take before the store gives up on it (default 250 ms).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let b = clevertim_redis::RedisStore::builder("redis://127.0.0.1/").timeout(Duration::from_millis(50));
    /// # let _ = b;
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How often a lost connection is tried again (default 1 s; calls in between go without
    /// the store at once).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let b = clevertim_redis::RedisStore::builder("redis://127.0.0.1/").retry_every(Duration::from_millis(200));
    /// # let _ = b;
    /// ```
    pub fn retry_every(mut self, every: Duration) -> Self {
        self.retry_every = every;
        self
    }

    /// The store. It connects on first use, not here.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] when the URL is not a Redis URL.
    ///
    /// ```
    /// let store = clevertim_redis::RedisStore::builder("redis://127.0.0.1:6379/").build()?;
    /// # let _ = store;
    /// # Ok::<(), clevertim_redis::Error>(())
    /// ```
    pub fn build(self) -> Result<RedisStore, Error> {
        let client = redis::Client::open(self.url.as_str()).map_err(Error::InvalidUrl)?;
        Ok(RedisStore {
            link: Arc::new(Link::new(client, self.timeout, self.retry_every)),
            ttl: self.ttl,
            lease: self.lease,
            prefix: "clevertim:{unscoped}:".into(),
            health: Arc::default(),
        })
    }
}

impl RedisStore {
    /// A store on the Redis at `url` with the default settings.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] when the URL is not a Redis URL.
    ///
    /// ```
    /// let store = clevertim_redis::RedisStore::new("redis://127.0.0.1:6379/")?;
    /// # let _ = store;
    /// # Ok::<(), clevertim_redis::Error>(())
    /// ```
    pub fn new(url: &str) -> Result<Self, Error> {
        Self::builder(url).build()
    }

    /// Settings first.
    ///
    /// ```
    /// let store = clevertim_redis::RedisStore::builder("redis://127.0.0.1:6379/").build()?;
    /// # let _ = store;
    /// # Ok::<(), clevertim_redis::Error>(())
    /// ```
    pub fn builder(url: &str) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.to_owned(),
            ttl: Duration::from_secs(3600),
            lease: Duration::from_secs(60),
            timeout: Duration::from_millis(250),
            retry_every: Duration::from_secs(1),
        }
    }

    /// The key prefix of this store's namespace (`clevertim:{…}:`), e.g. to inspect it.
    ///
    /// ```
    /// let store = clevertim_redis::RedisStore::new("redis://127.0.0.1/")?;
    /// assert_eq!(store.prefix(), "clevertim:{unscoped}:");
    /// # Ok::<(), clevertim_redis::Error>(())
    /// ```
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether the last call reached Redis (false until a call succeeds after a failure).
    ///
    /// ```
    /// let store = clevertim_redis::RedisStore::new("redis://127.0.0.1/")?;
    /// assert!(store.is_healthy());
    /// # Ok::<(), clevertim_redis::Error>(())
    /// ```
    pub fn is_healthy(&self) -> bool {
        self.health.is_healthy()
    }

    /// Runs one step; after a failure, starts a new epoch first.
    pub(crate) async fn call<T: FromRedisValue>(
        &self,
        step: &str,
        script: &Script,
        args: &[Vec<u8>],
    ) -> Option<T> {
        if !self.health.is_healthy() {
            match self
                .link
                .run::<i64>(&scripts::FLUSH, &[self.prefix.as_bytes().to_vec()])
                .await
            {
                Ok(_) => self.health.recovered(),
                Err(failure) => {
                    self.health.failed(step, &failure);
                    return None;
                }
            }
        }
        match self.link.run(script, args).await {
            Ok(value) => Some(value),
            Err(failure) => {
                self.health.failed(step, &failure);
                None
            }
        }
    }

    fn base(&self) -> Vec<Vec<u8>> {
        vec![self.prefix.as_bytes().to_vec()]
    }

    fn ticket_args(&self, ticket: &Ticket) -> Vec<Vec<u8>> {
        vec![
            self.prefix.as_bytes().to_vec(),
            ticket.number().to_string().into_bytes(),
            ticket.issued().to_string().into_bytes(),
            millis(self.lease),
            millis(self.ttl),
        ]
    }
}

fn millis(duration: Duration) -> Vec<u8> {
    duration.as_millis().max(1).to_string().into_bytes()
}

/// An entry's resource and id as the scripts spell them (a list has no id: `#list`).
fn push_key(args: &mut Vec<Vec<u8>>, key: &CacheKey) {
    args.push(key.resource.as_bytes().to_vec());
    args.push(match &key.id {
        Some(id) => id.to_string().into_bytes(),
        None => b"#list".to_vec(),
    });
}

/// A ticket that nothing admits (issued at 0, before any epoch): what a read or a write gets
/// while Redis is out of reach.
fn void_ticket() -> Ticket {
    Ticket::new(0, 0)
}

impl Store for RedisStore {
    fn scoped(&self, namespace: &Namespace) -> Arc<dyn Store> {
        Arc::new(RedisStore {
            prefix: format!("clevertim:{{{}}}:", namespace.as_str()).into(),
            health: Arc::default(),
            ..self.clone()
        })
    }

    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<Entry>> {
        Box::pin(async move {
            let mut args = self.base();
            push_key(&mut args, key);
            let json: Option<Vec<u8>> = self.call("get", &scripts::GET, &args).await?;
            json.map(|json| Entry::new(Bytes::from(json)))
        })
    }

    fn read(&self) -> BoxFuture<'_, Ticket> {
        Box::pin(async move {
            match self
                .call::<(u64, u64)>("read", &scripts::READ, &self.base())
                .await
            {
                Some((number, issued)) => Ticket::new(number, issued),
                None => void_ticket(),
            }
        })
    }

    fn admit<'a>(
        &'a self,
        ticket: &'a Ticket,
        entries: Vec<(CacheKey, Entry)>,
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if ticket.issued() == 0 || entries.is_empty() {
                return;
            }
            let mut args = self.ticket_args(ticket);
            for (key, entry) in entries {
                push_key(&mut args, &key);
                args.push(entry.into_json().to_vec());
            }
            let _: Option<i64> = self.call("admit", &scripts::ADMIT, &args).await;
        })
    }

    fn begin_write<'a>(&'a self, keys: &'a [CacheKey]) -> BoxFuture<'a, Ticket> {
        Box::pin(async move {
            let mut args = self.base();
            args.push(millis(self.lease));
            for key in keys {
                push_key(&mut args, key);
            }
            match self
                .call::<(u64, u64)>("begin_write", &scripts::BEGIN, &args)
                .await
            {
                Some((number, issued)) => Ticket::new(number, issued),
                None => void_ticket(),
            }
        })
    }

    fn end_write<'a>(&'a self, ticket: &'a Ticket, written: Written<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut args = self.ticket_args(ticket);
            match written.object {
                None => args.extend([b"0".to_vec(), Vec::new(), Vec::new(), Vec::new()]),
                Some((key, answer)) => {
                    args.push(if answer.is_some() { b"2" } else { b"1" }.to_vec());
                    push_key(&mut args, &key);
                    args.push(answer.map(|json| json.to_vec()).unwrap_or_default());
                }
            }
            args.push(written.related.len().to_string().into_bytes());
            for key in written.related {
                push_key(&mut args, key);
            }
            args.extend(written.resources.iter().map(|r| r.as_bytes().to_vec()));
            let _: Option<i64> = self.call("end_write", &scripts::END, &args).await;
        })
    }

    fn rate_budget(&self, per_second: u32, burst: u32) -> Option<Arc<dyn RateBudget>> {
        let budget = crate::RedisBudget::new(self.clone(), per_second, burst)?;
        Some(Arc::new(budget))
    }

    fn forget<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut args = self.base();
            push_key(&mut args, key);
            let _: Option<i64> = self.call("forget", &scripts::FORGET, &args).await;
        })
    }
}
