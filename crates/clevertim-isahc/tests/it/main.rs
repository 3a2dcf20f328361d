//! The isahc transport against local servers: connections and failures.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-isahc --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-isahc --test it NAME` the tests whose path contains NAME.

mod connections;
mod failures;
