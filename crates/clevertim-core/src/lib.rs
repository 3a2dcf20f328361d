//! The heart of the Clevertim CRM SDK: domain models, the ports and the [`Session`].
//!
//! This crate knows nothing of sockets or async runtimes. A [`Transport`] adapter (hyper,
//! isahc, recorded fixtures or your own closure) sends the requests the [`Session`] builds; a
//! [`Cache`] keeps the objects already loaded so that no GET is repeated.
//!
//! Most users depend on the `clevertim` facade crate, which re-exports everything here and
//! picks a transport by cargo feature.
//!
//! ```
//! use clevertim::{transport_fn, Contact, Session};
//! use clevertim::bytes::Bytes;
//!
//! # futures_util::future::FutureExt::now_or_never(async {
//! // Any closure can be a transport; a real one sends the request over HTTP.
//! let transport = transport_fn(|request: http::Request<Bytes>| async move {
//!     assert_eq!(request.uri().path(), "/api/contact/4");
//!     let body = r#"{"status":"OK","content":[{"id":4,"fn":"Praveen"}]}"#;
//!     Ok(http::Response::new(Bytes::from(body)))
//! });
//! let session = Session::builder("MY_API_KEY")
//!     .endpoint("https://www.clevertim.com/api")
//!     .transport(transport)
//!     .build()?;
//!
//! let contact: Contact = session.load::<Contact>(4).await?;
//! assert_eq!(contact.first_name(), Some("Praveen"));
//! # Ok::<(), clevertim::Error>(())
//! # }).unwrap().unwrap();
//! ```
//!
//! # Diagnostics
//!
//! Each try of each request is a [`tracing`](https://docs.rs/tracing) span at `DEBUG` level,
//! target `clevertim_core::session`, name `request`, with the fields `method`, `path` (the
//! URL's path, e.g. `/api/contact/4`), `attempt` (1, then 2… for retries), `status` (absent
//! when the transport failed) and `duration_ms`. The API key is never recorded. Events at
//! `DEBUG` in the same target say when a request is retried, fails, or is not needed (a save
//! with nothing changed). To see them:
//!
//! ```text
//! RUST_LOG=clevertim_core::session=debug cargo run …   # with tracing-subscriber's EnvFilter
//! ```
//!
//! To count the requests a piece of code sends (in a test, say), wrap the transport in a
//! [`Recording`]: its [`RequestLog`] lists each one, `GET /api/contact/4`.

pub mod cache;
pub mod error;
pub mod key;
pub mod model;
pub mod rate;
mod recording;
pub mod session;
pub mod store;
pub mod transport;
mod wire;

pub use cache::{Cache, CacheKey, MemoryCache, NoCache};
pub use error::{Error, RequestSite, Result, ValidationError};
pub use key::{Id, IntoKey, Key, ParseIdError};
pub use model::*;
pub use rate::{LocalBudget, RateBudget};
pub use recording::{Recording, RequestLog};
pub use session::{
    ApiKey, KeysOf, Lazy, RetryPolicy, Session, SessionBuilder, Sleeper, TimerSleeper,
};
pub use store::{Entry, LocalStore, Namespace, Store, Ticket, Written};
pub use transport::{
    BodyLimit, BoxFuture, FnTransport, ProxyChoice, Transport, TransportError, TransportErrorKind,
    redact_proxy_url, transport_fn,
};

/// Mocks of the ports, for unit tests of code that embeds the SDK (feature `mock`).
///
/// [`MockTransport`](mock::MockTransport) and [`MockCache`](mock::MockCache) are
/// [mockall](https://docs.rs/mockall) mocks: set what each call expects and answers, and each
/// expectation is checked when the mock is dropped.
///
/// ```
/// # #[cfg(feature = "mock")] {
/// use clevertim::bytes::Bytes;
/// use clevertim::mock::{MockCache, MockTransport};
/// use clevertim::{Contact, Session};
///
/// let mut transport = MockTransport::new();
/// transport
///     .expect_send()
///     .withf(|request| request.uri().path() == "/api/contact/4")
///     .times(1)
///     .returning(|_| {
///         let body = r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#;
///         Box::pin(async move { Ok(http::Response::new(Bytes::from(body))) })
///     });
/// let mut cache = MockCache::new();
/// cache.expect_get().returning(|_| None); // always a miss
/// cache.expect_insert().times(1).return_const(());
///
/// let session = Session::builder("KEY").transport(transport).cache(cache).build()?;
/// # futures_util::future::FutureExt::now_or_never(async {
/// let jane: Contact = session.load(4).await?;
/// assert_eq!(jane.first_name(), Some("Jane"));
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap()?;
/// # }
/// # Ok::<(), clevertim::Error>(())
/// ```
#[cfg(any(test, feature = "mock"))]
pub mod mock {
    pub use crate::cache::MockCache;
    pub use crate::transport::MockTransport;
}
