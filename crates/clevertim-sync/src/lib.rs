//! A SQL mirror of a Clevertim CRM account: SQLite (embedded, the default) or PostgreSQL.
//!
//! [`sync`] reads every resource through the SDK's public API, then applies the difference
//! to the mirror in one transaction: new objects are inserted, changed ones updated (their
//! canonical wire JSON differs), vanished ones deleted and recorded in `_deletions`. A run
//! with no change in between writes no row of the mirror's tables. A run that fails, is
//! refused by a guard or is killed leaves the mirror as the last run left it.
//!
//! The schema, the guarantees and example queries: `docs/sync.md`. The `clevertim sync`
//! command is a thin front over this crate.
//!
//! Why these crates: `rusqlite` with its `bundled` feature compiles SQLite into the program
//! (no system library, the same SQLite everywhere, `RETURNING` and JSON functions available);
//! `tokio-postgres` is the maintained asynchronous PostgreSQL client (the SDK is async, and
//! the synchronous `postgres` crate is a wrapper that would start a runtime of its own).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clevertim_sync::{sync, Options, Target};
//!
//! let session = clevertim_core::Session::builder("API_KEY")
//!     .no_cache()
//!     .build()?;
//! let target: Target = "sqlite:crm.db".parse()?;
//! let report = sync(&session, &target, &Options::default()).await?;
//! eprintln!("run {}: {} objects changed", report.run_id, report.changed());
//! # Ok(()) }
//! ```

mod apply;
mod canonical;
mod db;
mod diff;
mod error;
mod object;
mod options;
mod read;
mod report;
mod rows;
mod run;
mod schema;
mod spec;
mod target;

pub use error::{Error, Result};
pub use options::{OnProgress, Options, Progress};
pub use report::{Report, ResourceReport};
pub use run::sync;
pub use schema::SCHEMA_VERSION;
pub use target::Target;

/// The PostgreSQL advisory lock a run holds for its transaction
/// (`pg_try_advisory_xact_lock(key)`): another tool that takes it keeps runs out.
///
/// ```
/// assert_ne!(clevertim_sync::POSTGRES_LOCK_KEY, 0);
/// ```
pub const POSTGRES_LOCK_KEY: i64 = db::postgres::LOCK_KEY;

/// The resources a run mirrors, in the order it reads them (users first: they identify the
/// account).
///
/// ```
/// let names = clevertim_sync::resources();
/// assert_eq!(names.first(), Some(&"user"));
/// assert!(names.contains(&"contact") && names.contains(&"folder"));
/// ```
pub fn resources() -> Vec<&'static str> {
    spec::tables().iter().map(|t| t.resource).collect()
}
