//! Cassettes: recording, replay, matching, redaction; the committed fixture library.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-fixtures --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-fixtures --test it NAME` the tests whose path contains NAME.
//! The snapshots of `library` are `library/snapshots/it__library__*.snap` (insta names them after
//! the module path).

mod common;

mod cassette;
mod library;
mod no_secrets;
mod session;
