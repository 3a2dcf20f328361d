//! The facade: backends, blocking sessions, compile errors, origins, proxies, wrapped transports.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim --test it NAME` the tests whose path contains NAME.
//!
//! `tests/proxy_env.rs` stays a binary of its own: it runs itself again as a child process
//! (`--exact child`) with proxy variables set there.

#[path = "../proxy_common/mod.rs"]
mod proxy_common;

mod backends;
mod blocking;
mod compile_errors;
mod origin;
mod proxy;
mod session;
mod wrap_transport;
