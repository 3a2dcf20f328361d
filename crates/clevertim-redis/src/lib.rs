//! A shared cache for every replica of a service that uses one Clevertim account, on Redis
//! (or Valkey, which speaks the same protocol), with the same guarantee as the in-process
//! cache: *what the cache serves matches the server once the last write has returned*, now
//! across processes and machines.
//!
//! [`RedisStore`] implements the SDK's [`Store`](clevertim_core::Store) port: tickets, fences,
//! the admission of an answer and the start and end of a write are each one atomic
//! server-side script (EVALSHA), on the server's counter and clock. See `docs/replicas.md`
//! for a service set up end to end, and `docs/caching.md` for the protocol.
//!
//! The client is the [`redis`](https://docs.rs/redis) crate (the most used Redis client of
//! the ecosystem, kept by the redis-rs organisation), held below 1.2.3, whose MSRV (1.88) is
//! above the workspace's 1.85.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use clevertim::{Contact, Session};
//! use clevertim_redis::RedisStore;
//!
//! let store = RedisStore::new("redis://127.0.0.1:6379/")?;
//! let session = Session::builder("API_KEY").store(store).build()?;
//! let jane: Contact = session.load(4).await?; // from Redis when any replica loaded it
//! # let _ = jane;
//! # Ok(()) }
//! ```

mod link;
mod rate;
mod scripts;
mod store;

pub use rate::RedisBudget;
pub use store::{RedisStore, RedisStoreBuilder};

/// What can go wrong building a store (using one never fails: see [`RedisStore`]).
///
/// ```
/// let bad = clevertim_redis::RedisStore::new("not a url");
/// assert!(matches!(bad, Err(clevertim_redis::Error::InvalidUrl(_))));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL is not a Redis URL (it is not repeated: it may hold a password).
    #[error("invalid Redis URL")]
    InvalidUrl(#[source] redis::RedisError),
}
