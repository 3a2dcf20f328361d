//! One face for the async and the blocking sessions, so the suite is written once.

use std::sync::Arc;
use std::time::Duration;

use clevertim::{
    Backend, Cache, Customer, Key, MemoryCache, Resource, Result, RetryPolicy, Session, blocking,
};

/// A transport and a flavour of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `clevertim::Session` over hyper.
    HyperAsync,
    /// `clevertim::Session` over isahc.
    IsahcAsync,
    /// `clevertim::blocking::Session` over hyper (it owns a tokio runtime).
    HyperBlocking,
    /// `clevertim::blocking::Session` over isahc (no runtime at all).
    IsahcBlocking,
}

impl Flavour {
    fn backend(self) -> Backend {
        match self {
            Flavour::HyperAsync | Flavour::HyperBlocking => Backend::Hyper,
            Flavour::IsahcAsync | Flavour::IsahcBlocking => Backend::Isahc,
        }
    }
}

/// How a session under test is configured beyond its endpoint and key.
#[derive(Debug, Clone)]
pub struct Options {
    /// The cache to use (a clone shares it); `None`: no cache.
    pub cache: Option<MemoryCache>,
    /// The transport's connect timeout.
    pub connect_timeout: Duration,
    /// The transport's timeout for a whole request.
    pub request_timeout: Duration,
    /// The retry policy.
    pub retry: RetryPolicy,
    /// The largest answer body accepted, when not the default.
    pub body_limit: Option<u64>,
}

impl Default for Options {
    /// What [`Api::new`] uses: a fresh cache, 2 s to connect, 20 s per request, the default
    /// retries and body limit.
    fn default() -> Self {
        Options {
            cache: Some(MemoryCache::default()),
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(20),
            retry: RetryPolicy::default(),
            body_limit: None,
        }
    }
}

/// A session of either flavour. Blocking calls run on tokio's blocking pool, as a
/// synchronous program's threads would.
#[derive(Clone, Debug)]
pub enum Api {
    /// The async session.
    Async(Session),
    /// The blocking session.
    Blocking(blocking::Session),
}

/// Runs a blocking call off the async test's worker threads.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// Writes `Api`'s forwarding methods, one row each: a blocking call runs on its own thread
/// (`off_thread`); an `in_place` call edits an object, so the blocking one gets a copy on its
/// thread and the edited copy comes back. An argument `name: Type => Owned = expression` is
/// sent to the thread converted.
macro_rules! forward {
    (
        owned { $(
            $(#[$doc:meta])*
            fn $name:ident $(<$($g:ident),*>)?
                ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*) -> $ret:ty
                $(where ($($bound:tt)*))?;
        )* }
        in_place { $( $(#[$edit_doc:meta])* fn $edit:ident; )* }
    ) => {
        impl Api {
            $(
                $(#[$doc])*
                pub async fn $name $(<$($g),*>)? (&self, $($arg: $ty),*) -> $ret
                $(where $($bound)*)?
                {
                    $($(let $arg: $owned = $conv;)?)*
                    match self {
                        Api::Async(s) => s.$name($($arg),*).await,
                        Api::Blocking(s) => {
                            let s = s.clone();
                            off_thread(move || s.$name($($arg),*)).await
                        }
                    }
                }
            )*
            $(
                $(#[$edit_doc])*
                pub async fn $edit<R: Resource>(&self, object: &mut R) -> Result<()> {
                    match self {
                        Api::Async(s) => s.$edit(object).await,
                        Api::Blocking(s) => {
                            let s = s.clone();
                            let mut owned = object.clone();
                            let (result, owned) = off_thread(move || {
                                let result = s.$edit(&mut owned);
                                (result, owned)
                            })
                            .await;
                            *object = owned;
                            result
                        }
                    }
                }
            )*
        }
    };
}

forward! {
    owned {
        /// See `Session::load`.
        fn load<R>(key: impl Into<Key<R>> => Key<R> = key.into()) -> Result<R>
            where (R: Resource);
        /// See `Session::all`.
        fn all<R>() -> Result<Vec<R>> where (R: Resource);
        /// See `Session::load_many`.
        fn load_many<R>(keys: Vec<Key<R>>) -> Result<Vec<R>> where (R: Resource);
        /// See `Session::customer`.
        fn customer(key: Key<Customer>) -> Result<Customer>;
        /// See `Session::delete_key`.
        fn delete_key<R>(key: impl Into<Key<R>> => Key<R> = key.into()) -> Result<()>
            where (R: Resource);
    }
    in_place {
        /// See `Session::save`.
        fn save;
        /// See `Session::delete`.
        fn delete;
        /// See `Session::reload`.
        fn reload;
    }
}

impl Api {
    /// A session of `kind` for `key` at `endpoint`, with or without a cache.
    pub fn new(kind: Flavour, endpoint: &str, key: &str, cache: bool) -> Result<Api> {
        let options = Options {
            cache: cache.then(MemoryCache::default),
            ..Options::default()
        };
        Api::with_options(kind, endpoint, key, &options)
    }

    /// A session of `kind` for `key` at `endpoint`, configured by `options`.
    pub fn with_options(
        kind: Flavour,
        endpoint: &str,
        key: &str,
        options: &Options,
    ) -> Result<Api> {
        macro_rules! configure {
            ($builder:expr) => {{
                let b = $builder
                    .endpoint(endpoint)
                    .backend(kind.backend())
                    .no_proxy()
                    .connect_timeout(options.connect_timeout)
                    .request_timeout(options.request_timeout)
                    .retry(options.retry.clone())
                    .max_in_flight(64);
                let b = match options.body_limit {
                    Some(limit) => b.body_limit(limit),
                    None => b,
                };
                match &options.cache {
                    Some(cache) => b.cache(cache.clone()),
                    None => b.no_cache(),
                }
            }};
        }
        Ok(match kind {
            Flavour::HyperAsync | Flavour::IsahcAsync => {
                Api::Async(configure!(Session::builder(key)).build()?)
            }
            Flavour::HyperBlocking | Flavour::IsahcBlocking => {
                Api::Blocking(configure!(blocking::Session::builder(key)).build()?)
            }
        })
    }

    /// The session's cache.
    pub fn cache(&self) -> &dyn Cache {
        match self {
            Api::Async(s) => s.cache(),
            Api::Blocking(s) => s.cache(),
        }
    }

    /// A lazy handle: no request until its first `get`.
    pub fn lazy<R: Resource>(&self, key: impl Into<Key<R>>) -> LazyApi<R> {
        // Typed first: the sessions take an `IntoKey<R>`, which a generic `Into` is not.
        let key: Key<R> = key.into();
        match self {
            Api::Async(s) => LazyApi::Async(s.lazy(key)),
            Api::Blocking(s) => LazyApi::Blocking(Arc::new(s.lazy(key))),
        }
    }

    /// Loads each key from its own task (async) or thread (blocking), all at once.
    pub async fn load_concurrently<R: Resource>(&self, keys: Vec<Key<R>>) -> Vec<Result<R>> {
        let handles: Vec<_> = keys
            .into_iter()
            .map(|key| match self.clone() {
                Api::Async(s) => tokio::spawn(async move { s.load(key).await }),
                Api::Blocking(s) => tokio::task::spawn_blocking(move || s.load(key)),
            })
            .collect();
        let mut out = Vec::with_capacity(handles.len());
        for handle in handles {
            out.push(handle.await.unwrap());
        }
        out
    }
}

/// A lazy handle of either flavour.
#[derive(Debug)]
pub enum LazyApi<R: Resource> {
    /// The async handle.
    Async(clevertim::Lazy<R>),
    /// The blocking handle.
    Blocking(Arc<blocking::Lazy<R>>),
}

impl<R: Resource> LazyApi<R> {
    /// Whether the object was loaded yet.
    pub fn is_loaded(&self) -> bool {
        match self {
            LazyApi::Async(l) => l.is_loaded(),
            LazyApi::Blocking(l) => l.is_loaded(),
        }
    }

    /// The object (a copy), loaded on the first call.
    pub async fn get(&self) -> Result<R> {
        match self {
            LazyApi::Async(l) => l.get().await.cloned(),
            LazyApi::Blocking(l) => {
                let l = l.clone();
                off_thread(move || l.get().cloned()).await
            }
        }
    }
}
