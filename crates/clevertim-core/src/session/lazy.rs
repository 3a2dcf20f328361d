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
/// # use clevertim_core::{transport_fn, Contact, Session};
/// # use bytes::Bytes;
/// # futures_util::future::FutureExt::now_or_never(async {
/// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
/// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
/// # })).build()?;
/// let jane = session.lazy::<Contact>(4);            // nothing sent
/// assert_eq!(jane.key().to_string(), "4");
/// assert!(!jane.is_loaded());
/// assert_eq!(jane.get().await?.first_name(), Some("Jane")); // GET /contact/4, once
/// assert!(jane.is_loaded());
/// # Ok::<(), clevertim_core::Error>(())
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
    pub fn key(&self) -> &Key<R> {
        &self.key
    }

    /// Whether the object has been loaded yet.
    pub fn is_loaded(&self) -> bool {
        self.cell.is_initialized()
    }

    /// The object, loaded now if it was not yet.
    pub async fn get(&self) -> Result<&R> {
        self.cell
            .get_or_try_init(|| self.session.load(self.key.clone()))
            .await
    }

    /// The object, owned.
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
