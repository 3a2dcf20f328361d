//! `Lazy<R>`: a handle that loads its object on first access.

use std::fmt;

use super::Session;
use crate::error::Result;
use crate::key::Key;
use crate::model::Resource;

/// An object that is loaded on first access, then kept: no request until [`Lazy::get`].
///
/// Concurrent first accesses share one load.
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
