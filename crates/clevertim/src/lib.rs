//! `clevertim`: the Rust SDK for the [Clevertim CRM](https://www.clevertim.com) REST API.
//!
//! Contacts, companies, cases, opportunities, tasks, notes, comments, custom fields, users,
//! groups and files, as typed models; a [`Session`] that loads, caches, saves and deletes
//! them; and ports ([`Transport`], [`Cache`]) that let you run it on any HTTP stack.
//!
//! ```no_run
//! use clevertim::{Contact, Session};
//! # async fn demo() -> clevertim::Result<()> {
//! let session = Session::builder("API_KEY")
//!     .endpoint("http://127.0.0.1:8080/api") // default: https://www.clevertim.com/api
//!     .build()?; // the transport of the enabled feature (hyper by default)
//!
//! let mut mike = Contact::new();
//! mike.set_first_name("Mike").set_last_name("Johnson");
//! session.save(&mut mike).await?; // POST: the key appears
//! mike.add_to_emails("mike@example.com");
//! session.save(&mut mike).await?; // PUT of `id` and `email` only
//! session.delete(&mut mike).await?; // the key is None again
//! # Ok(()) }
//! ```
//!
//! # Where to start
//!
//! - Try it with no account: `cargo run -p clevertim --example quickstart` runs a walkthrough
//!   against `clevertim-sandbox`, a local emulator of the API with demo data, and prints the
//!   requests each step costs. Embed the sandbox in your own tests the same way
//!   (`clevertim_sandbox::Sandbox::start().await?`).
//! - The guide, in the repository's `docs/` (every example there runs as a test): installing,
//!   keys, eager and lazy loads, relations and their request costs
//!   ([`Session::load_for`], [`Session::customer`]), custom fields
//!   ([`Session::custom_field_named`]), caching, your own HTTP stack ([`transport_fn`]),
//!   blocking, testing with mocks and cassettes, diagnostics with `tracing`, and errors
//!   ([`Error`]: what each means and what to do).
//!
//! # Features
//!
//! | feature | what |
//! | --- | --- |
//! | `hyper` (default) | `Backend::Hyper`: hyper 1, pooled, HTTP/1.1 and HTTP/2, rustls with `aws-lc-rs` (post-quantum key exchange first), webpki roots + the system's store |
//! | `isahc` | `Backend::Isahc`: libcurl through isahc, rustls (rustls-ffi, `aws-lc-rs`), the system's store |
//! | `blocking` | `blocking::Session`: the same calls without `.await` |
//! | `mock` | `clevertim::mock`: mockall mocks of the ports, for your own tests |
//! | `fixtures` | `clevertim::fixtures`: record real exchanges into cassettes, replay them offline |
//!
//! With no transport feature, [`SessionBuilder::build`] fails unless a transport is given
//! with [`SessionBuilder::transport`].
//!
//! These pages show every feature's API; to build them so locally (as docs.rs does):
//! `cargo doc -p clevertim --no-deps --all-features --open`. Without `--all-features`,
//! `blocking`, `mock`, `fixtures` and the isahc transport are left out.

mod backend;
#[cfg(feature = "blocking")]
pub mod blocking;
mod builder;
mod layers;
mod session;

pub use backend::Backend;
pub use builder::{Async, Flavor, SessionBuilder};
#[cfg(feature = "mock")]
pub use clevertim_core::mock;
pub use clevertim_core::model::*;
pub use clevertim_core::{
    ApiKey, BodyLimit, BoxFuture, Cache, CacheKey, Entry, Error, FnTransport, Id, IntoKey, Key,
    KeysOf, Lazy, LocalBudget, LocalStore, MemoryCache, Namespace, NoCache, ParseIdError,
    ProxyChoice, RateBudget, Recording, RequestLog, RequestSite, Result, RetryPolicy, Sleeper,
    Store, Ticket, TimerSleeper, Transport, TransportError, TransportErrorKind, ValidationError,
    Written, cache, error, key, model, redact_proxy_url, store, transport, transport_fn,
};
/// Record/replay testing (feature `fixtures`): a [`Transport`] that keeps real HTTP
/// exchanges in cassette files and replays them offline; see `docs/fixtures.md`.
#[cfg(feature = "fixtures")]
pub use clevertim_fixtures as fixtures;
pub use session::Session;

/// The `http` crate the [`Transport`] port speaks (`http::Request<Bytes>` in,
/// `http::Response<Bytes>` out), re-exported so that your own transport needs no dependency
/// of its own, and no version to keep in step.
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{http, transport_fn};
/// let transport = transport_fn(|_request: http::Request<Bytes>| async move {
///     Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[]}"#)))
/// });
/// # drop(transport);
/// ```
pub use http;

/// The `bytes` crate of the request and answer bodies, re-exported (see [`http`](mod@http)).
pub use bytes;

/// The top-level README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// Writes a unit struct per guide page of `docs/` whose doc is the page, so that every Rust
/// code block of the guide is compiled and run as a doctest.
macro_rules! guide_pages {
    ($($name:ident = $file:literal;)*) => {$(
        #[cfg(doctest)]
        #[doc = include_str!(concat!("../../../docs/", $file))]
        struct $name;
    )*};
}

guide_pages! {
    GettingStarted = "getting-started.md";
    Objects = "objects.md";
    Relations = "relations.md";
    Resources = "resources.md";
    CustomFields = "custom-fields.md";
    Caching = "caching.md";
    Replicas = "replicas.md";
    Transports = "transports.md";
    Testing = "testing.md";
    ErrorsAndDiagnostics = "errors-and-diagnostics.md";
    Reliability = "reliability.md";
    Cli = "cli.md";
    Index = "README.md";
    Architecture = "architecture.md";
}

/// The transport adapters compiled in, for a session that needs one configured by hand.
///
/// ```
/// # #[cfg(feature = "hyper")] {
/// use std::time::Duration;
/// use clevertim::{transports::HyperTransport, Session};
///
/// let transport = HyperTransport::builder().connect_timeout(Duration::from_secs(2)).build()?;
/// let session = Session::builder("API_KEY").transport(transport).build()?;
/// # let _ = session;
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub mod transports {
    #[cfg(feature = "hyper")]
    pub use clevertim_hyper::{HyperTransport, HyperTransportBuilder};
    #[cfg(feature = "isahc")]
    pub use clevertim_isahc::{IsahcTransport, IsahcTransportBuilder};
}
