//! The one error type of a sync.

/// Why a sync did not complete. A run that fails leaves the mirror as it was before the run.
///
/// ```
/// let error = clevertim_sync::Error::Busy;
/// assert!(error.to_string().contains("another sync"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The `--to` target is not `sqlite:PATH` or a `postgres://` URL.
    #[error("unknown target {0:?}: expected sqlite:PATH or postgres://…")]
    Target(String),
    /// A resource the run needs could not be read (the users, which identify the account).
    #[error("cannot read {resource}: {source}")]
    Read {
        /// The resource's path, e.g. `user`.
        resource: &'static str,
        /// What the SDK said.
        #[source]
        source: clevertim_core::Error,
    },
    /// Another sync holds the mirror (SQLite's write lock, or the PostgreSQL advisory lock).
    #[error("another sync is writing this mirror: try again when it has finished")]
    Busy,
    /// The mirror was made from another endpoint or account.
    #[error(
        "this mirror was made from {mirror_endpoint} (account {mirror_account}), not from \
         {endpoint} (account {account}): use another database"
    )]
    OtherAccount {
        /// The endpoint the mirror was made from.
        mirror_endpoint: String,
        /// The account the mirror was made from.
        mirror_account: String,
        /// The endpoint of this run.
        endpoint: String,
        /// The account of this run.
        account: String,
    },
    /// The run would delete more than the allowed share of a resource's rows.
    #[error(
        "the run would delete {would_delete} of the {of} {resource} in the mirror (more than \
         {percent}%): nothing was changed; force it if the deletions are real"
    )]
    MassDelete {
        /// The resource's table.
        resource: &'static str,
        /// How many rows would be deleted.
        would_delete: u64,
        /// How many rows the table holds.
        of: u64,
        /// The allowed share, in percent.
        percent: u32,
    },
    /// The mirror's schema is newer than this version knows.
    #[error(
        "the mirror's schema is version {found}; this clevertim knows up to {supported}: upgrade clevertim"
    )]
    NewerSchema {
        /// The mirror's schema version.
        found: i64,
        /// The newest this version knows.
        supported: i64,
    },
    /// SQLite failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// An object could not be encoded as JSON.
    #[error("cannot encode an object: {0}")]
    Json(#[from] serde_json::Error),
}

/// A sync's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
