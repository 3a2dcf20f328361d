//! The core's integration tests: sessions over scripted transports, errors, retries, models.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-core --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-core --test it NAME` the tests whose path contains NAME.
//!
//! `tests/diagnostics.rs` stays a binary of its own: it asserts the `tracing` spans a
//! thread-scoped subscriber sees, and tracing caches each callsite's interest process-wide, so
//! a test of another file hitting the same callsite with no subscriber at the same moment
//! could make it miss them.

#[path = "../common/mod.rs"]
mod common;

mod coherence;
mod ergonomics;
mod error_display;
mod errors;
mod examples;
mod fuzz_regressions;
mod mock_feature;
mod proptest_decode;
mod rate_limit;
mod relations;
mod retry;
mod robustness;
mod save_keeps_key;
mod session;
mod validation;
