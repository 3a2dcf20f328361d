//! The subcommands, one module each.

pub(crate) mod crud;
pub(crate) mod export;
pub(crate) mod filter;
pub(crate) mod import;
pub(crate) mod input;
pub(crate) mod report;
pub(crate) mod sync;
