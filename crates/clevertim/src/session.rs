//! The facade's `Session`: the core's, with a builder that knows the compiled-in transports.

use std::ops::Deref;

use crate::SessionBuilder;

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`.
///
/// Every method of [`clevertim_core::Session`] is available on it (`load`, `lazy`, `all`,
/// `load_many`, `customer`, `save`, `delete`, `reload`, …).
#[derive(Clone, Debug)]
pub struct Session {
    inner: clevertim_core::Session,
}

impl Session {
    /// Starts configuring a session for the account of `api_key`.
    pub fn builder(api_key: impl Into<clevertim_core::ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The core session, for APIs that take one.
    pub fn core(&self) -> &clevertim_core::Session {
        &self.inner
    }
}

impl Deref for Session {
    type Target = clevertim_core::Session;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl From<clevertim_core::Session> for Session {
    fn from(inner: clevertim_core::Session) -> Self {
        Session { inner }
    }
}

impl From<Session> for clevertim_core::Session {
    fn from(session: Session) -> Self {
        session.inner
    }
}
