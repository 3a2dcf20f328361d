//! Error types: [`SandboxError`] for the library, [`ApiError`] for HTTP answers.

use std::path::PathBuf;

/// Why a sandbox could not be built, started or persisted.
///
/// ```
/// use clevertim_sandbox::{Sandbox, SandboxError};
/// let refused = Sandbox::builder().api_key("not a key!").spawn();
/// assert!(matches!(refused, Err(SandboxError::InvalidApiKey)));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Binding or reading the listening socket failed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The seed data is not of the expected shape.
    #[error("invalid seed data: {0}")]
    Seed(String),
    /// The data file could not be read or written.
    #[error("data file {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The data file exists but holds no sandbox data.
    #[error("data file {path} is not a sandbox snapshot or database: {reason}")]
    Corrupt {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The database failed to read or commit.
    #[error("data file {path}: {source}")]
    Database {
        /// The database file.
        path: PathBuf,
        /// What the database reported.
        source: Box<redb::Error>,
    },
    /// Another sandbox (in this process or another) holds the data directory.
    #[error("data file {path} is in use by another sandbox")]
    InUse {
        /// The database file.
        path: PathBuf,
    },
    /// A runtime or thread could not be created.
    #[error("cannot start the sandbox runtime: {0}")]
    Runtime(std::io::Error),
    /// The API key given to the builder is not a non-empty alphanumeric string, or
    /// belongs to another user.
    #[error("the API key must be a non-empty alphanumeric string not used by another user")]
    InvalidApiKey,
    /// The server thread stopped before it was ready.
    #[error("the sandbox server thread stopped before it was ready")]
    ThreadDied,
}

/// An API failure: the HTTP status and the `error` text of the envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }
    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Self::new(501, message)
    }
}

/// A short, printable rendering of a JSON value for error messages.
pub(crate) fn excerpt(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}
