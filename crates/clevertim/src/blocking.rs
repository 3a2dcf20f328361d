//! The same calls without `.await`, for scripts and synchronous code.
//!
//! ```no_run
//! use clevertim::{blocking::Session, Contact};
//! # fn main() -> clevertim::Result<()> {
//! let session = Session::builder("API_KEY").endpoint("http://127.0.0.1:8080/api").build()?;
//! let contact: Contact = session.load(1234)?;
//! println!("{:?}", contact.first_name());
//! # Ok(()) }
//! ```
//!
//! With the hyper backend the session owns a small tokio runtime; with isahc it needs none
//! (curl's own thread drives the requests). Creating or dropping a blocking session inside an
//! async runtime is safe. Calling it there never panics (with hyper the call runs on a helper
//! thread), but it blocks the calling thread all the same: prefer the async
//! [`crate::Session`] inside a runtime.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use clevertim_core::{CustomField, Customer, Key, Resource, Result};

use crate::builder::{private::Sealed, Flavor, SessionBuilder};
use crate::Backend;

/// Builds a blocking [`Session`].
#[derive(Debug)]
pub enum Blocking {}

impl Sealed for Blocking {}

impl Flavor for Blocking {
    type Session = Session;
    fn finish(core: clevertim_core::Session, backend: Option<Backend>) -> Result<Session> {
        Ok(Session {
            driver: Arc::new(Driver::for_backend(backend)?),
            inner: core,
        })
    }
}

/// A blocking connection to one Clevertim account: cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Session {
    inner: clevertim_core::Session,
    driver: Arc<Driver>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Session")
            .field("session", &self.inner)
            .field("driver", &self.driver)
            .finish()
    }
}

impl Session {
    /// Starts configuring a blocking session for the account of `api_key`.
    pub fn builder(api_key: impl Into<clevertim_core::ApiKey>) -> SessionBuilder<Blocking> {
        SessionBuilder::new(api_key.into())
    }

    /// The async session underneath.
    pub fn core(&self) -> &clevertim_core::Session {
        &self.inner
    }

    /// The API's base URL.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint()
    }

    /// Loads one object (from the cache when it is there). See [`clevertim_core::Session::load`].
    pub fn load<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<R> {
        let key = key.into();
        self.driver.run(self.inner.load(key))
    }

    /// A handle that loads the object on its first access.
    pub fn lazy<R: Resource>(&self, key: impl Into<Key<R>>) -> Lazy<R> {
        Lazy {
            inner: self.inner.lazy(key),
            driver: self.driver.clone(),
        }
    }

    /// Every object of a resource. See [`clevertim_core::Session::all`].
    pub fn all<R: Resource>(&self) -> Result<Vec<R>> {
        self.driver.run(self.inner.all())
    }

    /// Loads many objects concurrently, keeping their order.
    pub fn load_many<R: Resource, K: Into<Key<R>>>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<Vec<R>> {
        let keys: Vec<Key<R>> = keys.into_iter().map(Into::into).collect();
        self.driver.run(self.inner.load_many(keys))
    }

    /// See [`clevertim_core::Session::load_for`]: the objects each parent refers to, loaded
    /// together.
    pub fn load_for<P, R, F>(&self, parents: &[P], keys: F) -> Result<Vec<Vec<R>>>
    where
        R: Resource,
        F: for<'a> clevertim_core::KeysOf<'a, P, R>,
    {
        self.driver.run(self.inner.load_for(parents, keys))
    }

    /// Loads the contact or company a `cust` field points to.
    pub fn customer(&self, key: impl Into<Key<Customer>>) -> Result<Customer> {
        let key = key.into();
        self.driver.run(self.inner.customer(key))
    }

    /// The custom field definition named `name`, from the cached definitions (one GET the
    /// first time). See [`clevertim_core::Session::custom_field_named`].
    pub fn custom_field_named(&self, name: &str) -> Result<CustomField> {
        self.driver.run(self.inner.custom_field_named(name))
    }

    /// Creates or updates an object. See [`clevertim_core::Session::save`].
    pub fn save<R: Resource>(&self, object: &mut R) -> Result<()> {
        self.driver.run(self.inner.save(object))
    }

    /// Deletes an object; its key becomes `None`.
    pub fn delete<R: Resource>(&self, object: &mut R) -> Result<()> {
        self.driver.run(self.inner.delete(object))
    }

    /// Deletes the object with `key`.
    pub fn delete_key<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<()> {
        let key = key.into();
        self.driver.run(self.inner.delete_key(key))
    }

    /// Loads an object again, bypassing the cache.
    pub fn reload<R: Resource>(&self, object: &mut R) -> Result<()> {
        self.driver.run(self.inner.reload(object))
    }
}

/// A blocking handle that loads its object on first access.
pub struct Lazy<R> {
    inner: clevertim_core::Lazy<R>,
    driver: Arc<Driver>,
}

impl<R: Resource> Lazy<R> {
    /// The key of the object.
    pub fn key(&self) -> &Key<R> {
        self.inner.key()
    }

    /// Whether the object has been loaded yet.
    pub fn is_loaded(&self) -> bool {
        self.inner.is_loaded()
    }

    /// The object, loaded now if it was not yet.
    pub fn get(&self) -> Result<&R> {
        self.driver.run(self.inner.get())
    }

    /// The object, owned (loaded now if it was not yet).
    pub fn into_inner(self) -> Result<R> {
        let Lazy { inner, driver } = self;
        driver.run(inner.into_inner())
    }
}

impl<R: Resource> fmt::Debug for Lazy<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// What drives the session's futures to completion.
enum Driver {
    /// A runtime of our own, for transports that need tokio (hyper).
    #[cfg(feature = "hyper")]
    Tokio(Option<tokio::runtime::Runtime>),
    /// The calling thread, for transports driven by their own threads (isahc).
    #[cfg_attr(all(feature = "hyper", not(feature = "isahc")), allow(dead_code))]
    Plain,
}

impl Driver {
    fn for_backend(backend: Option<Backend>) -> Result<Driver> {
        match backend {
            #[cfg(feature = "isahc")]
            Some(Backend::Isahc) => Ok(Driver::Plain),
            // hyper, or a transport of the user's that may need tokio.
            #[cfg(feature = "hyper")]
            _ => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("clevertim-blocking")
                .enable_all()
                .build()
                .map(|rt| Driver::Tokio(Some(rt)))
                .map_err(|e| {
                    clevertim_core::Error::Config(format!("cannot start a tokio runtime: {e}"))
                }),
            #[cfg(not(feature = "hyper"))]
            _ => Ok(Driver::Plain),
        }
    }

    fn run<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        match self {
            #[cfg(feature = "hyper")]
            Driver::Tokio(Some(rt)) => {
                if tokio::runtime::Handle::try_current().is_err() {
                    return rt.block_on(future);
                }
                // Inside another runtime, `block_on` would panic: block a helper thread instead.
                std::thread::scope(|scope| match scope.spawn(|| rt.block_on(future)).join() {
                    Ok(output) => output,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
            }
            #[cfg(feature = "hyper")]
            Driver::Tokio(None) => unreachable!("the runtime is only taken on drop"),
            Driver::Plain => futures_executor::block_on(future),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(feature = "hyper")]
        if let Driver::Tokio(rt) = self {
            // A plain drop blocks, which panics inside an async context; this never blocks.
            if let Some(rt) = rt.take() {
                rt.shutdown_background();
            }
        }
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "hyper")]
            Driver::Tokio(_) => f.write_str("tokio runtime"),
            Driver::Plain => f.write_str("calling thread"),
        }
    }
}
