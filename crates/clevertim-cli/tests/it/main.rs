//! The `clevertim` command, run as a child process against an in-process sandbox.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-cli --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-cli --test it NAME` the tests whose path contains NAME.

mod common;

mod cli;
mod exit_codes;
mod export_import;
mod failures;
mod import_resume;
mod input;
mod sync;
mod tables;
