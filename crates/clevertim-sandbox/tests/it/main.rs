//! The sandbox over HTTP: access, CRUD, relations, validation, persistence, its binary.
//!
//! One test binary for the crate (one link instead of one per file): each file or folder here
//! is a module, so `cargo test -p clevertim-sandbox --test it FILE::` runs one file's tests and
//! `cargo test -p clevertim-sandbox --test it NAME` the tests whose path contains NAME.

mod common;

mod access;
mod binary;
mod crud;
mod fuzz_regressions;
mod persistence;
mod proptest_requests;
mod relations;
mod robustness;
mod validation;
