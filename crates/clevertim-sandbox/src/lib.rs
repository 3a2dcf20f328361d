//! A faithful local emulator of the Clevertim CRM REST API.
//!
//! `clevertim-sandbox` serves every resource of the Clevertim REST API (contacts,
//! companies, cases, opportunities, tasks, notes, comments, custom fields, users,
//! groups, folders, files, linked files) over HTTP, with the same envelope, status
//! codes, validation, derived relationship lists, users with API keys and permissions,
//! private and group-shared objects. It works on plain JSON values driven by one
//! declarative rules table, independently of any client crate.
//!
//! Use it in tests:
//!
//! ```no_run
//! # async fn demo() -> Result<(), clevertim_sandbox::SandboxError> {
//! use clevertim_sandbox::Sandbox;
//! let sandbox = Sandbox::start().await?;        // demo data, free loopback port
//! let base = sandbox.endpoint();                 // "http://127.0.0.1:PORT/api"
//! let key = sandbox.api_key();                   // HTTP Basic user name, password "X"
//! # let _ = (base, key);
//! # Ok(()) }
//! ```
//!
//! From synchronous code (or to keep the server off the test's runtime), use
//! [`SandboxBuilder::spawn`]. The server stops when the [`Sandbox`] is dropped.
//!
//! The `clevertim-sandbox` binary serves the same from the command line and prints
//! `CLEVERTIM_ENDPOINT=…`, `CLEVERTIM_API_KEY=…` and `CLEVERTIM_READONLY_API_KEY=…`
//! when it is ready.

mod auth;
pub mod cli;
mod error;
mod handlers;
mod in_process;
mod persist;
mod rules;
mod seed;
mod server;
mod store;
#[doc(hidden)]
pub mod table;
mod time;
mod validate;

pub use error::SandboxError;
#[doc(hidden)]
pub use in_process::InProcess;
pub use server::{DEFAULT_BODY_LIMIT, Sandbox, SandboxBuilder};

/// The built-in owner's (read-write) API key.
pub const DEFAULT_API_KEY: &str = "SbxOwner7f3Kq9ZrT2mWx8LpV4nYc6HdJ1aGe5Bu0s";
/// The built-in admin's API key.
pub const DEFAULT_ADMIN_API_KEY: &str = "SbxAdmin4c8Np2XwQ7tLz9RkM3vHs6JyF1bDg5Ee0u";
/// The built-in read-only user's API key.
pub const DEFAULT_READONLY_API_KEY: &str = "SbxReader9d2Wm6TzK4pQx8NcV1hLs7JfB3yRg5Aa0";
