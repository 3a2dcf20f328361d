//! `Lazy<R>`: a handle that loads its object on first access.

use std::fmt;

use super::Session;
use crate::error::Result;
use crate::key::Key;
use crate::model::Resource;

/// An object that is loaded on first access, then kept: no request until [`Lazy::get`].
///
/// Concurrent first accesses share one load.
///
/// ```
/// # use clevertim::{transport_fn, Contact, Session};
/// # use clevertim::bytes::Bytes;
/// # futures_util::future::FutureExt::now_or_never(async {
/// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
/// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
/// # })).build()?;
/// let jane = session.lazy::<Contact>(4);            // nothing sent
/// assert_eq!(jane.key().to_string(), "4");
/// assert!(!jane.is_loaded());
/// assert_eq!(jane.get().await?.first_name(), Some("Jane")); // GET /contact/4, once
/// assert!(jane.is_loaded());
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
pub struct Lazy<R> {
    session: Session,
    key: Key<R>,
    cell: async_lock::OnceCell<R>,
}

impl<R: Resource> Lazy<R> {
    pub(crate) fn new(session: Session, key: Key<R>) -> Self {
        Lazy {
            session,
            key,
            cell: async_lock::OnceCell::new(),
        }
    }

    /// The key of the object (known without a request).
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// let jane = session.lazy::<Contact>(4);
    /// assert_eq!(jane.key().as_int(), Some(4)); // no request
    /// assert!(!jane.is_loaded());
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn key(&self) -> &Key<R> {
        &self.key
    }

    /// Whether the object has been loaded yet.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// let jane = session.lazy::<Contact>(4);
    /// assert!(!jane.is_loaded());
    /// jane.get().await?;
    /// assert!(jane.is_loaded());
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn is_loaded(&self) -> bool {
        self.cell.is_initialized()
    }

    /// The object, loaded now if it was not yet (from the session's cache when it is there).
    ///
    /// # Errors
    ///
    /// The errors of [`Session::load`]; a failed load is tried again on the next call.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// let jane = session.lazy::<Contact>(4);
    /// let first = jane.get().await?;          // GET /contact/4
    /// assert_eq!(first.first_name(), Some("Jane"));
    /// assert!(std::ptr::eq(first, jane.get().await?), "then kept");
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn get(&self) -> Result<&R> {
        self.cell
            .get_or_try_init(|| self.session.load(self.key.clone()))
            .await
    }

    /// The object, owned.
    ///
    /// Loads it if it was not loaded yet.
    ///
    /// # Errors
    ///
    /// The errors of [`Session::load`], when it was not loaded yet.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// let mut jane: Contact = session.lazy::<Contact>(4).into_inner().await?;
    /// jane.set_first_name("Janet");
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn into_inner(self) -> Result<R> {
        match self.cell.into_inner() {
            Some(object) => Ok(object),
            None => self.session.load(self.key).await,
        }
    }
}

impl<R: Resource> fmt::Debug for Lazy<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lazy")
            .field("resource", &R::PATH)
            .field("key", &self.key)
            .field("loaded", &self.cell.get())
            .finish()
    }
}
