//! The conformance suite over every transport, the fault table, the drift check, nginx.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-conformance --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-conformance --test it NAME` the tests whose path contains NAME.

mod custom_fields_by_name;
mod drift;
mod error_messages;
mod faults;
mod hyper_async;
mod hyper_blocking;
mod isahc_async;
mod isahc_blocking;
mod nginx;
