//! The server, in four parts:
//!
//! - [`builder`]: [`SandboxBuilder`], the settings, and everything that can fail before
//!   serving (the store from seed data or a data directory, the socket);
//! - [`running`]: [`Sandbox`], the handle of a running server (its address, keys, counters,
//!   and stopping it);
//! - [`accept`]: the accept loop and its graceful shutdown;
//! - [`state`]: what every request handler shares: the store, and the database a write is
//!   saved to before it is answered.

mod accept;
mod builder;
mod running;
mod state;

pub use builder::{DEFAULT_BODY_LIMIT, SandboxBuilder};
pub use running::Sandbox;
pub(crate) use state::State;
