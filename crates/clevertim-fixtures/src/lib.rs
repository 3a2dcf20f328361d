//! Record/replay testing for the Clevertim CRM SDK: a [`Transport`](clevertim_core::Transport)
//! that keeps real HTTP exchanges in cassette files and plays them back, offline and
//! deterministically.
//!
//! ```no_run
//! use clevertim_core::Session;
//! use clevertim_fixtures::Cassette;
//! # async fn test() -> Result<(), Box<dyn std::error::Error>> {
//! # let real_transport = || clevertim_core::transport_fn(|_r: http::Request<bytes::Bytes>| async {
//! #     Err(clevertim_core::TransportError::new(clevertim_core::TransportErrorKind::Other, "offline"))
//! # });
//! let key = std::env::var("CLEVERTIM_API_KEY").unwrap_or_default();
//! let cassette = Cassette::builder(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/contacts.json"))
//!     .inner(real_transport())   // only used when recording
//!     .secret(&key)              // never written to disk
//!     .build()?;
//! let session = Session::builder(key).transport(cassette.clone()).build()?;
//! // ... use the session and assert ...
//! cassette.finish()?.assert_all_used()?;
//! # Ok(()) }
//! ```
//!
//! # Modes
//!
//! [`Mode::Replay`], [`Mode::Once`], [`Mode::NewEpisodes`], [`Mode::Rerecord`]; chosen by
//! `CLEVERTIM_FIXTURES=replay|once|new|rerecord` when set, else `Replay` when `CI` is set, else
//! the mode given in code, else `Once` (see [`Mode`]).
//!
//! # The cassette file
//!
//! Pretty, stable JSON (no timestamps):
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "recorded_with": "clevertim-fixtures 0.1.0",
//!   "interactions": [
//!     {
//!       "request": {
//!         "method": "POST",
//!         "path": "/api/contact",
//!         "query": [],
//!         "headers": { "accept": "application/json", "content-type": "application/json" },
//!         "body": { "json": { "fn": "Mike", "ln": "Johnson" } }
//!       },
//!       "response": {
//!         "status": 200,
//!         "headers": { "content-type": "application/json" },
//!         "body": { "json": { "content": [ { "fn": "Mike", "id": 7, "ln": "Johnson" } ], "status": "OK" } }
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! A body is `{"json": …}`, `{"text": "…"}` or `{"base64": "…"}` (see [`Body`]); the
//! `Authorization` header is never stored, and every configured secret is replaced by a
//! placeholder before anything is written.

mod cassette;
mod error;
mod format;
mod matcher;
mod mode;
mod secrets;

pub use cassette::{Cassette, CassetteBuilder, Report, UnusedInteraction};
pub use error::FixtureError;
pub use format::{
    Body, CassetteFile, FORMAT_VERSION, Interaction, RecordedRequest, RecordedResponse,
};
pub use matcher::{DefaultMatcher, Matcher, Mismatch};
pub use mode::{MODE_ENV, Mode};
pub use secrets::{AUTH_PLACEHOLDER, SECRET_PLACEHOLDER, scan_for_secrets};

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The user guide's examples (`docs/fixtures.md`), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/fixtures.md")]
struct GuideDoctests;
