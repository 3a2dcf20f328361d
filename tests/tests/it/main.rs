//! The conformance suite over every transport, the fault table, the drift check.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-conformance --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-conformance --test it NAME` the tests whose path contains NAME.
//!
//! `tests/nginx.rs` stays a binary of its own: its bursts of writes are timed around nginx's
//! 1 s idle timeout, and sharing the process (and the two cores) with the fault table and the
//! suite made connections close under a write (seen in a workspace run: 2 of 8 cases failed).

mod custom_fields_by_name;
mod drift;
mod error_messages;
mod faults;
mod hyper_async;
mod hyper_blocking;
mod isahc_async;
mod isahc_blocking;
