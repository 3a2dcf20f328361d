//! The hyper transport against local servers: connections, failures, keep-alive, TLS.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-hyper --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-hyper --test it NAME` the tests whose path contains NAME.

mod common;
mod tls_server;

mod connections;
mod failures;
mod keep_alive;
mod refused;
mod tls;
